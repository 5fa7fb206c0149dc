/** The macros Kubernetes CronJobs accept in place of five fields (robfig/cron descriptors). */
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
  /** `?` is allowed (day-of-month and day-of-week). */
  readonly question?: boolean;
}

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31, question: true },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 7, names: DAYS, question: true },
];

function value(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const i = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (i < 0) return undefined;
  return field === FIELDS[3] ? i + 1 : i;
}

function validItem(item: string, field: Field): boolean {
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*' || (range === '?' && field.question === true && step === undefined)) return true;
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  const nums = bounds.map((b) => value(b, field));
  if (nums.some((n) => n === undefined)) return false;
  return nums.length === 1 || (nums[0] as number) <= (nums[1] as number);
}

/**
 * Whether `schedule` is a schedule a Kubernetes CronJob accepts: five fields (minute, hour, day of month, month,
 * day of week; lists, ranges, steps, month and day names) or a macro such as `@daily`. `TZ=`/`CRON_TZ=` prefixes
 * are refused, as the API server refuses them (the CronJob's `timeZone` field replaces them).
 */
export function isCronSchedule(schedule: string): boolean {
  const s = schedule.trim();
  if (MACROS.has(s.toLowerCase())) return true;
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return false;
  return fields.every((f, i) => f.split(',').every((item) => item.length > 0 && validItem(item, FIELDS[i])));
}
