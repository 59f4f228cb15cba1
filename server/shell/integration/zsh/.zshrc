# See .zshenv: the reader's .zshrc first, then the hooks that report each command's
# start and exit code to the runner (server/shell-markers.ts).
ZDOTDIR=$WORKSHOP_USER_ZDOTDIR
[[ -r "$ZDOTDIR/.zshrc" ]] && . "$ZDOTDIR/.zshrc"
WORKSHOP_USER_ZDOTDIR=$ZDOTDIR
ZDOTDIR=$__workshop_zdotdir

# The nonce comes in a private file that only this shell reads, and deletes at once:
# in the environment any child could read it from /proc/<this shell>/environ.
typeset -g __workshop_nonce=
if [[ -n ${WORKSHOP_MARKER_FILE-} ]]; then
  __workshop_nonce=$(< $WORKSHOP_MARKER_FILE)
  command rm -f -- $WORKSHOP_MARKER_FILE
fi
unset WORKSHOP_MARKER_FILE
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
