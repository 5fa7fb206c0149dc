import { check, checkLiteral } from '../core/validation';

/** How the platform reaches the cluster. */
export enum Delivery {
  /** `cdk deploy` applies everything: Helm charts and manifests through the cluster's kubectl provider. */
  CDK = 'cdk',
  /**
   * `cdk deploy` creates the AWS side and installs Argo CD with a root Application; Argo CD applies the GitOps
   * directory written by `cdk8s synth`.
   */
  GITOPS = 'gitops',
}

/** Where the GitOps rendering lives and how Argo CD reads it. */
export interface GitOpsOptions {
  /** Git repository Argo CD reads the rendered directory from, e.g. `https://github.com/acme/platform.git`. */
  readonly repoUrl: string;
  /** Path of the rendered directory inside the repository. @default 'dist' */
  readonly path?: string;
  /** Git revision (branch, tag or commit) Argo CD follows. @default 'main' */
  readonly targetRevision?: string;
  /** Argo CD project of every Application. @default 'default' */
  readonly project?: string;
  /** Namespace Argo CD runs in. @default 'argocd' */
  readonly argoCdNamespace?: string;
  /**
   * Whether Argo CD prunes objects removed from the repository and reverts manual drift.
   * @default true
   */
  readonly automated?: boolean;
}

/** GitOps options with every default filled in. */
export interface ResolvedGitOpsOptions {
  /** Git repository Argo CD reads. */
  readonly repoUrl: string;
  /** Folder of the rendering in the repository. */
  readonly path: string;
  /** Branch, tag or commit Argo CD follows. */
  readonly targetRevision: string;
  /** Argo CD project of the Applications. */
  readonly project: string;
  /** Namespace of Argo CD. */
  readonly argoCdNamespace: string;
  /** Whether Argo CD syncs automatically (with pruning and self-heal). */
  readonly automated: boolean;
}

/** Validates the options and fills in defaults. */
export function resolveGitOpsOptions(options: GitOpsOptions): ResolvedGitOpsOptions {
  check(options.repoUrl !== undefined && options.repoUrl.trim().length > 0,
    `'gitOps.repoUrl' (${JSON.stringify(options.repoUrl ?? '')}) must not be empty: Argo CD needs the Git repository that holds the rendered directory`);
  checkLiteral('gitOps.repoUrl', options.repoUrl);
  check(/^(https:\/\/|ssh:\/\/|git@)/.test(options.repoUrl),
    `'gitOps.repoUrl' (${options.repoUrl}) must be a Git URL starting with https://, ssh:// or git@`);
  const path = (options.path ?? 'dist').replace(/^\.?\/+|\/+$/g, '');
  check(path.length > 0 && !path.split('/').includes('..'),
    `'gitOps.path' (${options.path}) must be a relative path inside the repository, without '..'`);
  return {
    repoUrl: options.repoUrl,
    path,
    targetRevision: options.targetRevision ?? 'main',
    project: options.project ?? 'default',
    argoCdNamespace: options.argoCdNamespace ?? 'argocd',
    automated: options.automated ?? true,
  };
}
