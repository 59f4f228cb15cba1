// The command that starts the workshop, in each shell: shown on the start page and in
// the terminal dock while no runner answers. Windows PowerShell 5.1 has no `&&`.
export const startCommand = {
  bash: 'npm install && npm start',
  powershell: 'npm install; if ($?) { npm start }',
} as const;
