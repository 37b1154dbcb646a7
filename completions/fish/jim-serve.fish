# fish completion for jim-serve
# Generated from its option table by 'jim-serve --generate-completion fish'; do not edit.

complete -c jim-serve -f
complete -c jim-serve -s 'a' -l 'address' -x -a '(__fish_print_hostnames)' -d 'listen on ADDR (host, IPv4, IPv6 or unix:/path; repeatable; default: every IPv4 and IPv6 address)'
complete -c jim-serve -s 'p' -l 'port' -x -d 'listen on TCP port PORT (default 7777; 0 picks a free one)'
complete -c jim-serve -l 'unix' -r -F -d 'also listen on the Unix-domain socket PATH (removed at exit)'
complete -c jim-serve -s 'v' -l 'verbose' -d 'log refused frames and other detail'
complete -c jim-serve -s 'q' -l 'quiet' -d 'log errors only (and the listening lines)'
complete -c jim-serve -l 'accounts' -r -F -d 'registered accounts, name:HASH lines with crypt(3) hashes; SIGHUP reloads it'
complete -c jim-serve -l 'hash-password' -d 'read a password on standard input, print its yescrypt hash and exit'
complete -c jim-serve -l 'max-clients' -x -d 'the most connections at once (default 10000); past it: 500 and close'
complete -c jim-serve -l 'max-queue' -x -d 'a client\'s write queue limit (default 262144); past it: disconnected'
complete -c jim-serve -l 'max-message' -x -d 'the longest message, in characters (default 500)'
complete -c jim-serve -l 'max-frame' -x -d 'the longest frame, in characters (default 640)'
complete -c jim-serve -l 'presence-timeout' -x -d 'drop a connection with no name after SECONDS (default 30)'
complete -c jim-serve -l 'probe-interval' -x -d 'probe a named client silent for SECONDS (default 300; 0: never)'
complete -c jim-serve -l 'probe-timeout' -x -d 'drop a probed client that does not answer in SECONDS (default 60)'
complete -c jim-serve -l 'write-timeout' -x -d 'drop a client whose queued output makes no progress for SECONDS (default 30; 0: never)'
complete -c jim-serve -s 'h' -l 'help' -d 'show this help and exit'
complete -c jim-serve -l 'version' -d 'show the version and exit'
