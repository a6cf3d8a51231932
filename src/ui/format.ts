// How figures are written in the panels, one way everywhere: durations in their two largest
// units ("17 天 4 小时"), case categories in the interface's language where it knows them.
import type { TFunction } from 'i18next';

/** A duration in its two largest units (days and hours, or hours and minutes). */
export function duration(ms: number, t: TFunction): string {
  const m = Math.round(ms / 60_000);
  const days = Math.floor(m / 1440), hours = Math.floor((m % 1440) / 60), minutes = m % 60;
  if (days > 0) return t('cases.daysHours', { days, hours });
  if (hours > 0) return t('cases.hoursMinutes', { hours, minutes });
  return t('cases.minutes', { minutes });
}

/** A case category's name: translated when it is one the console knows, else as the data gives it. */
export function categoryName(name: string, t: TFunction): string {
  return t(`caseCategories.${name}`, { defaultValue: name });
}

/**
 * A share (0..1) as a percentage at `digits` decimals, the one way scores and rates are shown
 * (the report panel, the wall, the CLI). Rounding never reaches a figure it is not: a share
 * below 1 never reads 100 % (2 households of 61,867 dangling is 99.99 %, not 100.00 %), one
 * above 0 never 0 %.
 */
export function percentText(x: number, digits = 2): string {
  const step = 10 ** -digits;
  let v = x * 100;
  if (x < 1 && v > 100 - step) v = 100 - step;
  if (x > 0 && v < step) v = step;
  return `${v.toFixed(digits)}%`;
}

/** Digits a score shows with, in the report panel and on the wall alike. */
export const SCORE_DIGITS = 2;
