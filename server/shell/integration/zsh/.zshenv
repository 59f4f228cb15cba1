# Workshop session startup for zsh (ZDOTDIR points here): each file sources the
# reader's own file of the same name first, so their setup stays as it is.

# First of all, before the reader's files can start a process: the marker nonce (for
# the prompt hooks in .zshrc) comes in a private file that this shell reads and deletes
# at once. (In the environment, any child could read it from /proc/<this shell>/environ.)
typeset -g __workshop_nonce=
if [[ -n ${WORKSHOP_MARKER_FILE-} ]]; then
  __workshop_nonce=$(< $WORKSHOP_MARKER_FILE)
  command rm -f -- $WORKSHOP_MARKER_FILE
fi
unset WORKSHOP_MARKER_FILE
__workshop_zdotdir=$ZDOTDIR
ZDOTDIR=${WORKSHOP_USER_ZDOTDIR:-$HOME}
[[ -r "$ZDOTDIR/.zshenv" ]] && . "$ZDOTDIR/.zshenv"
WORKSHOP_USER_ZDOTDIR=$ZDOTDIR
ZDOTDIR=$__workshop_zdotdir
