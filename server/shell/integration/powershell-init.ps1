# Dot-sourced into a workshop session's PowerShell: wraps the reader's prompt so that
# each command's exit status reaches the runner (server/shell-markers.ts).
# The marker nonce comes in a private file that this shell reads and deletes at once.
# (In the environment, any child process could read it.)
$global:__WorkshopNonce = ''
if ($env:WORKSHOP_MARKER_FILE) {
  $global:__WorkshopNonce = (Get-Content -LiteralPath $env:WORKSHOP_MARKER_FILE -Raw).Trim()
  Remove-Item -LiteralPath $env:WORKSHOP_MARKER_FILE -Force -ErrorAction SilentlyContinue
}
Remove-Item Env:WORKSHOP_MARKER_FILE -ErrorAction SilentlyContinue
$global:__WorkshopOriginalPrompt = $function:prompt
function global:prompt {
  $succeeded = $?
  $code = if ($succeeded) { 0 } elseif ($global:LASTEXITCODE) { $global:LASTEXITCODE } else { 1 }
  $esc = [char]27
  $bel = [char]7
  "$esc]7770;$($global:__WorkshopNonce);D;$code;$($executionContext.SessionState.Path.CurrentLocation.ProviderPath)$bel" + (& $global:__WorkshopOriginalPrompt)
}
