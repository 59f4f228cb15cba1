// Shell syntax that bash has and PowerShell (5.1, the one Windows ships) does not, or
// reads differently. A step whose command uses any of it needs a `powershell` variant
// or a `powershellNote` (docs/steps.md, "Shells").

export interface BashOnlyRule {
  name: string;
  pattern: RegExp;
}

export const BASH_ONLY_RULES: readonly BashOnlyRule[] = [
  { name: 'line continuation with \\ (PowerShell uses a backtick)', pattern: /\\\r?\n/ },
  { name: 'export (PowerShell sets $env:NAME)', pattern: /(^|[;&|\n]\s*)export\s/ },
  { name: 'NAME=value before a command (PowerShell sets $env:NAME)', pattern: /(^|[;&|\n]\s*)[A-Za-z_]\w*=\S*\s+\S/ },
  { name: 'command substitution $(…) or `…`', pattern: /\$\(|`/ },
  { name: '&& or || (not in Windows PowerShell 5.1)', pattern: /&&|\|\|/ },
  { name: 'a bash variable ($NAME, ${NAME})', pattern: /\$\{?[A-Za-z_]/ },
  { name: 'a shell script run as ./script.sh', pattern: /(^|[\s;&|])\.\/[\w.-]+\.sh\b/ },
  { name: 'process substitution or here-document', pattern: /<\(|>\(|<</ },
  { name: '~ for the home folder in an argument', pattern: /(^|\s)~\// },
];

/** The names of the rules a bash command breaks in PowerShell ([] if it runs unchanged). */
export function bashOnlySyntax(command: string): string[] {
  return BASH_ONLY_RULES.filter((rule) => rule.pattern.test(command)).map((rule) => rule.name);
}
