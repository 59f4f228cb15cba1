# See .zshenv: the reader's .zshrc first, then the hooks that report each command's
# start and exit code to the runner (server/shell-markers.ts).
ZDOTDIR=$WORKSHOP_USER_ZDOTDIR
[[ -r "$ZDOTDIR/.zshrc" ]] && . "$ZDOTDIR/.zshrc"
WORKSHOP_USER_ZDOTDIR=$ZDOTDIR
ZDOTDIR=$__workshop_zdotdir

typeset -g __workshop_nonce=$WORKSHOP_MARKER_NONCE
unset WORKSHOP_MARKER_NONCE
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
