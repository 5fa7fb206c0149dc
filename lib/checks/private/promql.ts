/** Just enough PromQL to read the label matchers of a query's vector selectors. */

/** One label matcher, e.g. `namespace="models"`. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** One vector selector of a query: metric name (if any) and its matchers. */
export interface VectorSelector {
  readonly metric?: string;
  readonly matchers: LabelMatcher[];
  /** The selector as written, for messages. */
  readonly text: string;
}

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'atan2', 'inf', 'nan',
]);

/**
 * The vector selectors of a PromQL query: every `metric{...}` / `{...}` and every bare metric name (an identifier
 * not followed by `(` and not a keyword or grouping label).
 */
export function vectorSelectors(query: string): VectorSelector[] {
  const out: VectorSelector[] = [];
  // Blank out string literals outside braces so that identifiers inside them are not read as metrics.
  const braces = /([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g;
  let rest = query;
  for (const m of query.matchAll(braces)) {
    const matchers: LabelMatcher[] = [];
    for (const mm of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
      matchers.push({ label: mm[1], op: mm[2] as LabelMatcher['op'], value: mm[3].replace(/\\(.)/g, '$1') });
    }
    const metricMatcher = matchers.find((x) => x.label === '__name__' && x.op === '=');
    out.push({ metric: m[1] ?? metricMatcher?.value, matchers, text: m[0].trim() });
    rest = rest.replace(m[0], ' ');
  }
  rest = rest.replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  for (const m of rest.matchAll(/(?<![a-zA-Z0-9_:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![a-zA-Z0-9_:])\s*(\()?/g)) {
    if (m[2] !== undefined || KEYWORDS.has(m[1].toLowerCase())) continue;
    out.push({ metric: m[1], matchers: [], text: m[1] });
  }
  return out;
}

/** True when a Prometheus matcher (fully anchored, as Prometheus anchors regexes) matches `value`. */
export function matcherMatches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=': return value === m.value;
    case '!=': return value !== m.value;
    case '=~': return safeRegex(m.value)?.test(value) ?? false;
    case '!~': return !(safeRegex(m.value)?.test(value) ?? true);
    default: return false;
  }
}

function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}
