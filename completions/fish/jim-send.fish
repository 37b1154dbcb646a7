# fish completion for jim-send
# Generated from its option table by 'jim-send --generate-completion fish'; do not edit.

complete -c jim-send -f
complete -c jim-send -s 't' -l 'to' -x -d 'send to this user or #room (a room is joined first)'
complete -c jim-send -s 'm' -l 'message' -x -d 'send TEXT as one message instead of reading input'
complete -c jim-send -s 'i' -l 'input' -r -F -d 'read FILE instead of standard input (- for standard input); repeatable'
complete -c jim-send -s 'R' -l 'route' -d 'route each line: \'@bob text\' goes to bob, \'#ops text\' to #ops, others to -t'
complete -c jim-send -l 'frames' -d 'the input is JIM frames (as jim-encode writes them), sent as they are'
complete -c jim-send -l 'split' -d 'cut a line that breaks a limit into several messages instead of failing'
complete -c jim-send -s '0' -l 'null' -d 'read NUL-terminated records instead of lines'
complete -c jim-send -s 'k' -l 'keep-going' -d 'go on after a line that fails; the exit status is the worst seen'
complete -c jim-send -s 'W' -l 'timeout' -x -d 'exit 75 when the server leaves a request unanswered for SECONDS'
complete -c jim-send -l 'window' -x -d 'the most requests in flight when the server takes pipelining (default 256)'
complete -c jim-send -s 'u' -l 'user' -x -d 'the name to take (default: $JIM_USER, then your login name)'
complete -c jim-send -s 's' -l 'status' -x -d 'the status sent with presence (default: online)'
complete -c jim-send -l 'password-file' -r -F -d 'authenticate with the password in FILE (or set JIM_PASSWORD)'
complete -c jim-send -l 'connect-timeout' -x -d 'give up connecting after SECONDS (default 10)'
complete -c jim-send -s 'v' -l 'verbose' -d 'show the frames exchanged (and status lines) on standard error'
complete -c jim-send -s 'q' -l 'quiet' -d 'say nothing on standard error but errors'
complete -c jim-send -s 'h' -l 'help' -d 'show this help and exit'
complete -c jim-send -l 'version' -d 'show the version and exit'

function __jim_send_positional
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
        else if contains -- $word '-t' '--to' '-m' '--message' '-i' '--input' '-W' '--timeout' '--window' '-u' '--user' '-s' '--status' '--password-file' '--connect-timeout' '--generate-completion'
            set skip 1
        else if not string match -q -- '--*' $word
            set -l chars (string split '' -- (string sub -s 2 -- $word))
            for i in (seq (count $chars))
                if contains -- $chars[$i] 't' 'm' 'i' 'W' 'u' 's'
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

complete -c jim-send -a '(__jim_send_positional)'
