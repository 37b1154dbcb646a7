# fish completion for jim-encode
# Generated from its option table by 'jim-encode --generate-completion fish'; do not edit.

complete -c jim-encode -f
complete -c jim-encode -s 't' -l 'to' -x -d 'send each line to this user or #room'
complete -c jim-encode -s 'f' -l 'from' -x -d 'the sender written in each frame (default: your login name)'
complete -c jim-encode -s 'R' -l 'route' -d 'route each line: \'@bob text\' goes to bob, \'#ops text\' to #ops, others to -t'
complete -c jim-encode -l 'split' -d 'cut a line that breaks a limit into several frames instead of failing'
complete -c jim-encode -s '0' -l 'null' -d 'read NUL-terminated records instead of lines'
complete -c jim-encode -l 'time' -x -d 'use UNIX time N in every frame instead of the clock'
complete -c jim-encode -s 'u' -l 'user' -x -d 'the account name for presence and authenticate (default: your login name)'
complete -c jim-encode -s 's' -l 'status' -x -d 'the status for presence (default: online)'
complete -c jim-encode -l 'password-file' -r -F -d 'read the password for authenticate from FILE'
complete -c jim-encode -s 'h' -l 'help' -d 'show this help and exit'
complete -c jim-encode -l 'version' -d 'show the version and exit'

function __jim_encode_positional
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l npos 0
    set -l first ''
    set -l skip 0
    set -l dashes 0
    for word in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        if test $dashes -eq 1; or test "$word" = -; or not string match -q -- '-*' $word
            test $npos -eq 0; and set first $word
            set npos (math $npos + 1)
            continue
        end
        if test "$word" = --
            set dashes 1
        else if contains -- $word '-t' '--to' '-f' '--from' '--time' '-u' '--user' '-s' '--status' '--password-file' '--generate-completion'
            set skip 1
        else if not string match -q -- '--*' $word
            set -l chars (string split '' -- (string sub -s 2 -- $word))
            for i in (seq (count $chars))
                if contains -- $chars[$i] 't' 'f' 'u' 's'
                    test $i -eq (count $chars); and set skip 1
                    break
                end
            end
        end
    end
    test $skip -eq 1; and return
    if test $dashes -eq 0; and string match -q -- '-*' (commandline -ct)
        return
    end
    if test $npos -eq 0
        printf '%s\t%s\n' 'msg' 'one msg frame per line of text (the default)'
        printf '%s\t%s\n' 'presence' 'one presence frame with "type":"status"'
        printf '%s\t%s\n' 'authenticate' 'one authenticate frame'
        printf '%s\t%s\n' 'join' 'one join frame for ROOM'
        printf '%s\t%s\n' 'leave' 'one leave frame for ROOM'
        printf '%s\t%s\n' 'quit' 'one quit frame'
        __fish_complete_path (commandline -ct)
        return
    end
    switch $first
        case 'msg'
            switch (math $npos - 1)
                case '*'
                    __fish_complete_path (commandline -ct)
            end
        case 'presence' 'authenticate' 'quit'
        case 'join' 'leave'
        case '*'
            switch $npos
                case '*'
                    __fish_complete_path (commandline -ct)
            end
    end
end

complete -c jim-encode -a '(__jim_encode_positional)'
