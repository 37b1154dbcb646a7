# fish completion for jim-listen
# Generated from its option table by 'jim-listen --generate-completion fish'; do not edit.

complete -c jim-listen -f
complete -c jim-listen -s 'r' -l 'room' -x -d 'join ROOM (with or without its #) and print its messages; repeatable'
complete -c jim-listen -s 'C' -l 'count' -x -d 'exit 0 after N messages'
complete -c jim-listen -s 'W' -l 'timeout' -x -d 'exit 75 when SECONDS pass without a message'
complete -c jim-listen -s 'F' -l 'format' -x -d 'write each message as FORMAT (tokens below)'
complete -c jim-listen -l 'json' -d 'write each message frame as received, one JSON object per line'
complete -c jim-listen -l 'raw' -d 'write text as it is, without escaping newlines, tabs and control characters'
complete -c jim-listen -s '0' -l 'null' -d 'end each record with NUL instead of a newline'
complete -c jim-listen -l 'reconnect' -d 'when the connection drops, connect again (with back-off), identify and rejoin'
complete -c jim-listen -s 'u' -l 'user' -x -d 'the name to take (default: $JIM_USER, then your login name)'
complete -c jim-listen -s 's' -l 'status' -x -d 'the status sent with presence (default: online)'
complete -c jim-listen -l 'password-file' -r -F -d 'authenticate with the password in FILE (or set JIM_PASSWORD)'
complete -c jim-listen -l 'connect-timeout' -x -d 'give up connecting after SECONDS (default 10)'
complete -c jim-listen -s 'v' -l 'verbose' -d 'show the frames exchanged (and status lines) on standard error'
complete -c jim-listen -s 'q' -l 'quiet' -d 'say nothing on standard error but errors'
complete -c jim-listen -s 'h' -l 'help' -d 'show this help and exit'
complete -c jim-listen -l 'version' -d 'show the version and exit'

function __jim_listen_positional
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
        else if contains -- $word '-r' '--room' '-C' '--count' '-W' '--timeout' '-F' '--format' '-u' '--user' '-s' '--status' '--password-file' '--connect-timeout' '--generate-completion'
            set skip 1
        else if not string match -q -- '--*' $word
            set -l chars (string split '' -- (string sub -s 2 -- $word))
            for i in (seq (count $chars))
                if contains -- $chars[$i] 'r' 'C' 'W' 'F' 'u' 's'
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
        __fish_print_hostnames
        return
    end
    switch $first
        case '*'
            switch $npos
                case 0
                    __fish_print_hostnames
            end
    end
end

complete -c jim-listen -a '(__jim_listen_positional)'
