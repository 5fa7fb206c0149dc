import * as path from 'path';
import * as ts from 'typescript';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The package root module. */
export const INDEX = path.join(ROOT, 'lib', 'index.ts');

/** Compiler options of the project (tsconfig.json), for programs over the library. */
export function compilerOptions(): ts.CompilerOptions {
  const file = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, file);
  return { ...parsed.options, noEmit: true };
}

/** A type the public API refers to. */
export interface ApiReference {
  /** Where: `Class.member` or `Interface.property`. */
  readonly from: string;
  /** The referenced type's name. */
  readonly name: string;
  /** The file declaring it, relative to the repository root (`node_modules/...` for dependencies). */
  readonly file: string;
  /** Whether the package root exports it. */
  readonly exported: boolean;
}

/** A path relative to the repository root; dependencies as `node_modules/<package>/...` (node_modules may be a link). */
function repoPath(fileName: string): string {
  const i = fileName.lastIndexOf('/node_modules/');
  return i >= 0 ? fileName.slice(i + 1) : path.relative(ROOT, fileName);
}

function isInternal(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');
}

function isHidden(member: ts.ClassElement | ts.TypeElement): boolean {
  const flags = ts.getCombinedModifierFlags(member as unknown as ts.Declaration);
  if (flags & ts.ModifierFlags.Private) return true;
  if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) return true;
  return isInternal(member);
}

/**
 * Every type the public API of the package root names: the types of the public and protected members, constructor
 * and method parameters, return types and heritage clauses of every exported class, interface, function, type alias
 * and constant, with where each is declared and whether the root exports it.
 */
export function publicApiReferences(program: ts.Program): { exports: string[]; references: ApiReference[] } {
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(INDEX);
  if (!index) throw new Error(`${INDEX} is not in the program`);
  const resolve = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const exportedSymbols = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!);
  const exported = new Set(exportedSymbols.map(resolve));
  const references: ApiReference[] = [];
  const seen = new Set<string>();

  const record = (from: string, symbol: ts.Symbol | undefined): void => {
    if (symbol === undefined) return;
    const s = resolve(symbol);
    if (s.flags & ts.SymbolFlags.TypeParameter) return;
    const decl = s.declarations?.[0];
    if (decl === undefined) return;
    if (s.name === '__object' || s.name === '__type') return; // anonymous (inferred) object types
    const file = repoPath(decl.getSourceFile().fileName);
    if (file.startsWith('..') || file.startsWith('node_modules/typescript/') || file.startsWith('node_modules/@types/node/')) return;
    const key = `${from}|${s.name}|${file}`;
    if (seen.has(key)) return;
    seen.add(key);
    references.push({ from, name: s.name, file, exported: exported.has(s) });
  };

  const visitTypeNode = (from: string, node: ts.Node | undefined): void => {
    if (node === undefined) return;
    const walk = (n: ts.Node): void => {
      if (ts.isTypeReferenceNode(n)) {
        record(from, checker.getSymbolAtLocation(ts.isQualifiedName(n.typeName) ? n.typeName.right : n.typeName));
      } else if (ts.isExpressionWithTypeArguments(n)) {
        const e = n.expression;
        record(from, checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e));
      } else if (ts.isTypeQueryNode(n)) {
        return;
      }
      ts.forEachChild(n, walk);
    };
    walk(node);
  };

  const visitInferred = (from: string, decl: ts.Declaration): void => {
    const type = checker.getTypeAtLocation(decl);
    record(from, type.aliasSymbol ?? type.getSymbol());
  };

  const visitSignature = (from: string, s: ts.SignatureDeclaration): void => {
    for (const p of s.parameters) visitTypeNode(from, p.type);
    visitTypeNode(from, s.type);
  };

  const visitMember = (owner: string, m: ts.ClassElement | ts.TypeElement): void => {
    if (isHidden(m)) return;
    const name = m.name !== undefined && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : 'constructor';
    const from = `${owner}.${name}`;
    if (ts.isPropertyDeclaration(m) || ts.isPropertySignature(m)) {
      if (m.type) visitTypeNode(from, m.type); else visitInferred(from, m);
    } else if (ts.isMethodDeclaration(m) || ts.isMethodSignature(m) || ts.isConstructorDeclaration(m)
      || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m) || ts.isIndexSignatureDeclaration(m)) {
      visitSignature(from, m);
    }
  };

  const names: string[] = [];
  for (const sym of exportedSymbols) {
    names.push(sym.name);
    const target = resolve(sym);
    for (const decl of target.declarations ?? []) {
      const file = repoPath(decl.getSourceFile().fileName);
      if (!file.startsWith('lib/')) continue;
      if (isInternal(decl)) continue;
      const owner = sym.name;
      if (ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl)) {
        for (const h of decl.heritageClauses ?? []) for (const t of h.types) visitTypeNode(owner, t);
        for (const m of decl.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) visitMember(owner, m);
      } else if (ts.isFunctionDeclaration(decl)) {
        visitSignature(owner, decl);
      } else if (ts.isTypeAliasDeclaration(decl)) {
        visitTypeNode(owner, decl.type);
      } else if (ts.isVariableDeclaration(decl)) {
        if (decl.type) visitTypeNode(owner, decl.type); else visitInferred(owner, decl);
      }
    }
  }
  return { exports: names.sort(), references };
}
