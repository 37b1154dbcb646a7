# fish completion for jim-decode
# Generated from its option table by 'jim-decode --generate-completion fish'; do not edit.

complete -c jim-decode -f
complete -c jim-decode -s 'F' -l 'format' -x -d 'write each frame as FORMAT (tokens below)'
complete -c jim-decode -l 'json' -d 'write each valid frame as canonical compact JSON (a validating filter)'
complete -c jim-decode -s 'a' -l 'action' -x -a '(printf \'%s\\n\' \'presence\' \'authenticate\' \'msg\' \'join\' \'leave\' \'quit\' \'probe\' \'response\')' -d 'keep only frames of action NAME (\'response\' for responses); repeatable'
complete -c jim-decode -l 'raw' -d 'write text as it is, without escaping newlines, tabs and control characters'
complete -c jim-decode -s '0' -l 'null' -d 'end each record with NUL instead of a newline'
complete -c jim-decode -s 'h' -l 'help' -d 'show this help and exit'
complete -c jim-decode -l 'version' -d 'show the version and exit'

function __jim_decode_positional
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
        else if contains -- $word '-F' '--format' '-a' '--action' '--generate-completion'
            set skip 1
        else if not string match -q -- '--*' $word
            set -l chars (string split '' -- (string sub -s 2 -- $word))
            for i in (seq (count $chars))
                if contains -- $chars[$i] 'F' 'a'
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
        __fish_complete_path (commandline -ct)
        return
    end
    switch $first
        case '*'
            switch $npos
                case '*'
                    __fish_complete_path (commandline -ct)
            end
    end
end

complete -c jim-decode -a '(__jim_decode_positional)'
