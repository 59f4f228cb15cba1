# Read by `bash --init-file` for a workshop session. It first does what a login shell
# does (so the reader's PATH, aliases and prompt are there), then adds the prompt hook
# that reports each command's exit code to the runner (server/shell/shell-markers.ts).

# First of all, before any startup file can start a process: the marker nonce comes in
# a private file that this shell reads and deletes at once. (In the environment, any
# child could read it from /proc/<this shell>/environ.)
__workshop_nonce=
if [ -n "${WORKSHOP_MARKER_FILE-}" ]; then
  __workshop_nonce=$(< "$WORKSHOP_MARKER_FILE")
  command rm -f -- "$WORKSHOP_MARKER_FILE"
fi
unset WORKSHOP_MARKER_FILE

if [ -r /etc/profile ]; then . /etc/profile; fi
if [ -r "$HOME/.bash_profile" ]; then . "$HOME/.bash_profile"
elif [ -r "$HOME/.bash_login" ]; then . "$HOME/.bash_login"
elif [ -r "$HOME/.profile" ]; then . "$HOME/.profile"
fi

# The runner's docker wrapper (labels containers for cleanup) first on PATH, even when
# the profile above set PATH from scratch.
if [ -n "${WORKSHOP_BIN-}" ] && [[ ":$PATH:" != ":$WORKSHOP_BIN:"* ]]; then PATH="$WORKSHOP_BIN:$PATH"; fi

# A short prompt inside the workspace ("hello $ " instead of a long temporary path and
# session id); `pwd` prints the full path.
__workshop_where() {
  case "$PWD" in
    "$WORKSHOP_DIR") printf 'workshop' ;;
    "$WORKSHOP_DIR"/*) printf '%s' "${PWD#"$WORKSHOP_DIR"/}" ;;
    *) printf '%s' "${PWD##*/}" ;;
  esac
}
PS1='$(__workshop_where) \$ '

# Must run first in PROMPT_COMMAND so that $? is still the command's; it hands the
# same status on to the reader's own prompt commands.
__workshop_prompt() {
  local status=$?
  printf '\033]7770;%s;D;%s;%s\007' "$__workshop_nonce" "$status" "$PWD"
  return $status
}
if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
  PROMPT_COMMAND=(__workshop_prompt "${PROMPT_COMMAND[@]}")
else
  PROMPT_COMMAND="__workshop_prompt${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
# PS0 (bash >= 4.4) is printed after a command line is read, before it runs: the start
# of the command's own output.
PS0="${PS0-}"$'\033]7770;'"$__workshop_nonce"$';C\007'
# A multi-line step is typed as one bracketed paste, so it runs as one command line.
bind 'set enable-bracketed-paste on' 2>/dev/null
