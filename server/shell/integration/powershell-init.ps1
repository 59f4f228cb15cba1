# Dot-sourced into a workshop session's PowerShell: wraps the reader's prompt so that
# each command's exit status reaches the runner (server/shell-markers.ts).
$global:__WorkshopNonce = $env:WORKSHOP_MARKER_NONCE
Remove-Item Env:WORKSHOP_MARKER_NONCE -ErrorAction SilentlyContinue
$global:__WorkshopOriginalPrompt = $function:prompt
function global:prompt {
  $succeeded = $?
  $code = if ($succeeded) { 0 } elseif ($global:LASTEXITCODE) { $global:LASTEXITCODE } else { 1 }
  $esc = [char]27
  $bel = [char]7
  "$esc]7770;$($global:__WorkshopNonce);D;$code;$($executionContext.SessionState.Path.CurrentLocation.ProviderPath)$bel" + (& $global:__WorkshopOriginalPrompt)
}
