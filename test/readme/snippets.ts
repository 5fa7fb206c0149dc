import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { compilerOptions, INDEX, ROOT } from '../api/public-api';

/** The marker that keeps the ```ts block right after it out of the compilation (for pseudo-code). */
export const SKIP_MARKER = '<!-- snippet: skip -->';

/** A ```ts block of a Markdown file. */
export interface Snippet {
  /** Line of the opening fence, 1-based. */
  readonly line: number;
  /** The code. */
  readonly code: string;
  /** Whether a skip marker precedes it. */
  readonly skipped: boolean;
}

/** The ```ts (or ```typescript) blocks of a Markdown text, in order. */
export function extractSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let j = start - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    out.push({ line: start + 1, code: body.join('\n'), skipped: j >= 0 && lines[j].trim() === SKIP_MARKER });
  }
  return out;
}

/**
 * Names README fragments may use without declaring them: the platform and the objects the README's sections build.
 * Types are named through `import('agentic-eks')`, so a renamed or removed type fails here too.
 */
export const FIXTURE = `
declare const app: import('aws-cdk-lib').App;
declare const props: import('agentic-eks').PlatformStackProps;
declare const platform: import('agentic-eks').PlatformStack;
declare const definition: import('agentic-eks').PlatformDefinition;
declare const component: import('agentic-eks').KubernetesComponent;
declare const myComponent: import('agentic-eks').KubernetesComponent;
declare const inference: import('agentic-eks').GpuNodePool;
declare const h100: import('agentic-eks').GpuNodePool;
declare const qwen: import('agentic-eks').VllmModel;
declare const llama8b: import('agentic-eks').VllmModel;
declare const llama8bFp8: import('agentic-eks').VllmModel;
declare const teamA: import('agentic-eks').Team;
declare const research: import('agentic-eks').Team;
declare const rag: import('agentic-eks').Agent;
declare const langfuse: import('agentic-eks').Langfuse;
declare const litellm: import('agentic-eks').LiteLlm;
declare const models: import('agentic-eks').LiteLlmModel[];
declare const image: import('agentic-eks').ContainerImage;
declare const QWEN3_EMBEDDING_0_6B: import('agentic-eks').ModelSpec;
`;

/** What a fragment gets imported: the package root's exports and the aws-cdk-lib names the README uses. */
const CDK_NAMES = ['App', 'Duration', 'Size', 'Stack'];

/** One snippet as a TypeScript file, with the README line of each of its lines. */
interface SnippetFile {
  readonly snippet: Snippet;
  readonly fileName: string;
  readonly headerLines: number;
}

/** A type error of a snippet, located in the Markdown file. */
export interface SnippetError {
  /** Line in the Markdown file. */
  readonly line: number;
  /** The compiler's message. */
  readonly message: string;
}

/** The names the package root exports (values and types), and the program that read them (reused for the snippets). */
function rootExports(options: ts.CompilerOptions): { names: string[]; program: ts.Program } {
  const program = ts.createProgram([INDEX], options);
  const checker = program.getTypeChecker();
  const names = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!).map((s) => s.name).sort();
  return { names, program };
}

/**
 * Type-checks snippets against the library under the project's compiler options (strict), `agentic-eks` mapped to
 * lib/index.ts. A block that starts with `import` brings its own imports; any other block (a fragment) gets every
 * export of the package root and `App`, `Duration`, `Size`, `Stack` of aws-cdk-lib. Every block sees {@link FIXTURE}
 * and runs in its own block scope. The files are written to a temporary directory under `.cache/` (so module
 * resolution finds the project's node_modules) and removed afterwards.
 * @returns the errors of each snippet, by index
 */
export function typeCheckSnippets(snippets: readonly Snippet[]): SnippetError[][] {
  const base = compilerOptions();
  const options: ts.CompilerOptions = {
    ...base, noUnusedLocals: false, noUnusedParameters: false, noEmit: true, paths: { 'agentic-eks': [INDEX] },
  };
  const { names: exported, program: root } = rootExports(options);
  const cache = path.join(ROOT, '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const dir = fs.mkdtempSync(path.join(cache, 'readme-snippets-'));
  try {
    const files: SnippetFile[] = snippets.map((snippet, i) => {
      const src = ts.createSourceFile('x.ts', snippet.code, ts.ScriptTarget.ES2022, true);
      const imports = src.statements.filter(ts.isImportDeclaration);
      const ownImports = imports.length > 0 && src.statements[0] === imports[0];
      const importText = ownImports
        ? imports.map((d) => d.getText(src)).join('\n')
        : `import { ${exported.join(', ')} } from 'agentic-eks';\nimport { ${CDK_NAMES.join(', ')} } from 'aws-cdk-lib';\nimport * as path from 'path';`;
      const body = ownImports ? blankOut(snippet.code, imports.map((d) => [d.getFullStart(), d.getEnd()])) : snippet.code;
      const header = `${importText}\n${FIXTURE}\n{\n`;
      const fileName = path.join(dir, `snippet-${String(i + 1).padStart(2, '0')}-line-${snippet.line}.ts`);
      fs.writeFileSync(fileName, `${header}${body}\n}\nexport {};\n`);
      return { snippet, fileName, headerLines: header.split('\n').length - 1 };
    });
    const program = ts.createProgram([INDEX, ...files.map((f) => f.fileName)], options, undefined, root);
    return files.map((f) => {
      const sf = program.getSourceFile(f.fileName)!;
      const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      return diagnostics.map((d) => {
        const at = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line : 0;
        // Lines of the block are after the header; the fence is at snippet.line, the code starts one line below.
        const line = f.snippet.line + 1 + Math.max(0, at - f.headerLines);
        return { line, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The code with the given ranges replaced by blank lines (keeps line numbers). */
function blankOut(code: string, ranges: [number, number][]): string {
  let out = code;
  for (const [from, to] of [...ranges].reverse()) {
    out = out.slice(0, from) + out.slice(from, to).replace(/[^\n]/g, '') + out.slice(to);
  }
  return out;
}
