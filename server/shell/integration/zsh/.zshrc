# See .zshenv: the reader's .zshrc first, then the hooks that report each command's
# start and exit code to the runner (server/shell-markers.ts).
ZDOTDIR=$WORKSHOP_USER_ZDOTDIR
[[ -r "$ZDOTDIR/.zshrc" ]] && . "$ZDOTDIR/.zshrc"
WORKSHOP_USER_ZDOTDIR=$ZDOTDIR
ZDOTDIR=$__workshop_zdotdir

# The runner's docker wrapper first on PATH, even when the reader's files set PATH anew.
if [[ -n ${WORKSHOP_BIN-} && :$PATH: != :$WORKSHOP_BIN:* ]]; then PATH="$WORKSHOP_BIN:$PATH"; fi
__workshop_precmd() {
  local exit_status=$?
  printf '\033]7770;%s;D;%s;%s\007' "$__workshop_nonce" "$exit_status" "$PWD"
  return $exit_status
}
__workshop_preexec() {
  printf '\033]7770;%s;C\007' "$__workshop_nonce"
}
# First in line, so that $? is still the command's status.
precmd_functions=(__workshop_precmd $precmd_functions)
preexec_functions+=(__workshop_preexec)
