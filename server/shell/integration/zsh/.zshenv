# Workshop session startup for zsh (ZDOTDIR points here): each file sources the
# reader's own file of the same name first, so their setup stays as it is.
__workshop_zdotdir=$ZDOTDIR
ZDOTDIR=${WORKSHOP_USER_ZDOTDIR:-$HOME}
[[ -r "$ZDOTDIR/.zshenv" ]] && . "$ZDOTDIR/.zshenv"
WORKSHOP_USER_ZDOTDIR=$ZDOTDIR
ZDOTDIR=$__workshop_zdotdir
