// Case (事件) categories of the demo district and their time limits (办理时限). The time
// limit makes a case overdue when it is still open that long after it was reported and the
// case carries no expected_datetime of its own (DESIGN.md, "Cases").

export interface CaseCategory {
  /** Open311 service_code. */
  code: string;
  /** Open311 service_name (Chinese category). */
  name: string;
  /** Hours from requested_datetime to the deadline. */
  limitHours: number;
}

export const CASE_CATEGORIES: readonly CaseCategory[] = [
  { code: 'HJWS', name: '环境卫生', limitHours: 24 },
  { code: 'ZDJY', name: '占道经营', limitHours: 24 },
  { code: 'MDJF', name: '矛盾纠纷', limitHours: 168 },
  { code: 'AQYH', name: '安全隐患', limitHours: 24 },
  { code: 'SZSS', name: '市政设施', limitHours: 72 },
  { code: 'WZDJ', name: '违章搭建', limitHours: 168 },
  { code: 'ZYRM', name: '噪音扰民', limitHours: 24 },
  { code: 'WYFW', name: '物业服务', limitHours: 72 },
  { code: 'MSSQ', name: '民生诉求', limitHours: 168 },
  { code: 'XFTD', name: '消防通道', limitHours: 24 },
];

export function caseCategoryByCode(code: string): CaseCategory | undefined {
  return CASE_CATEGORIES.find((c) => c.code === code);
}

export function caseCategoryByName(name: string): CaseCategory | undefined {
  return CASE_CATEGORIES.find((c) => c.name === name);
}
