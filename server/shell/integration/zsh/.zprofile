# See .zshenv: the reader's .zprofile first.
ZDOTDIR=$WORKSHOP_USER_ZDOTDIR
[[ -r "$ZDOTDIR/.zprofile" ]] && . "$ZDOTDIR/.zprofile"
WORKSHOP_USER_ZDOTDIR=$ZDOTDIR
ZDOTDIR=$__workshop_zdotdir
