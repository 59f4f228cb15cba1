# See .zshenv: the reader's .zlogin, then ZDOTDIR goes back to the reader's for good.
ZDOTDIR=$WORKSHOP_USER_ZDOTDIR
[[ -r "$ZDOTDIR/.zlogin" ]] && . "$ZDOTDIR/.zlogin"
unset __workshop_zdotdir WORKSHOP_USER_ZDOTDIR
