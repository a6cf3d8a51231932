// Personal data on rosters (户主 name, phone, ID-card number, contact person): recognised by
// column name and by value, kept only under names that mark it personal, shown masked unless
// the user asks to see it, and left out of every export unless the user includes it.

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜; other scripts keep the first letter. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** 13812341234 → 138****1234; landlines keep their last 4 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

/** Mainland mobile numbers: 11 digits from 13–19 (with a +86 or spaces allowed). */
export function isMobile(v: string): boolean {
  return /^1[3-9]\d{9}$/.test(v.replace(/^\+?86|[\s-]/g, ''));
}

/** Landlines as rosters write them: an area code 0xx or 0xxx, then 7–8 digits. */
export function isLandline(v: string): boolean {
  return /^0\d{2,3}-?\d{7,8}$/.test(v.replace(/\s/g, ''));
}

/** An 18-digit resident ID number (GB 11643) with a valid check digit. */
export function isIdCard(v: string): boolean {
  const s = v.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * w[i];
  return '10X98765432'[sum % 11] === s[17];
}

/** Whether a value is a phone number or an ID number, wherever it stands. */
export function looksPersonal(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  const s = String(v);
  // Numbers in free text count too: "家里电话 0536-8123456".
  return isMobile(s) || isIdCard(s) || isLandline(s) || (s.match(/[\d-]{7,20}[\dXx]?/g) ?? []).some((t) => isMobile(t) || isIdCard(t) || isLandline(t));
}

/** Column names that say they hold someone's name, number or ID. */
const PERSONAL_NAME = /(姓名|名字|户主|联系人|监护人|电话|手机|号码|身份证|证件|phone|mobile|tel|idcard|id_card|idno|passport|contact|owner|person)/i;

/** 110101199003074258 → 110101********4258 */
export function maskIdCard(id: string): string {
  const s = id.trim();
  return s.length > 10 ? `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}` : '*'.repeat(s.length);
}

/** A personal value masked the way its kind wants. */
export function maskAny(v: string): string {
  return isIdCard(v) ? maskIdCard(v) : isMobile(v) || isLandline(v) || /\d{5,}/.test(v) ? maskPhone(v) : maskName(v);
}

/**
 * The columns of a table (rows of properties) that hold personal data: by their name, or
 * because a value in them is a phone or an ID number. The values are looked at in full (a
 * single ID card in a "remarks" column is enough).
 */
export function personalColumns(rows: Record<string, unknown>[], columns: string[]): string[] {
  return columns.filter((c) => PERSONAL_NAME.test(c) || rows.some((r) => looksPersonal(r[c])));
}
