#!/usr/bin/env python3
"""Generate the codec benchmark's data: JIM msg frames as NDJSON and their message lines.

Deterministic (fixed seed). About half the messages are ASCII, a third Cyrillic, the rest
mixed ASCII, Cyrillic and emoji; 5-500 characters (Unicode scalars); about 8% carry quotes,
backslashes or tabs. Frames are written compactly with raw UTF-8, as the project's tools
write them; each frame (and the frame jim-encode -t '#b' -f a --time 0 would write for the
same text) stays within the 640-character frame limit. The lines file holds each message
raw, one per line (no message contains CR or LF).

usage: gen_codec.py COUNT FRAMES.ndjson LINES.txt
"""
import json
import random
import sys

SEED = 20241125
MAX_MESSAGE = 500
MAX_FRAME = 640

ASCII_WORDS = (
    "the of and to in is you that it he was for on are as with his they at be this have from or "
    "one had by word but not what all were we when your can said there use an each which she do "
    "how their if will up other about out many then them these so some her would make like him "
    "into time has look two more write go see number no way could people my than first water been "
    "call who oil its now find long down day did get come made may part deploy build test server "
    "client message room ping pong ok done failed retry latency queue socket frame json status"
).split()
ASCII_PUNCT = [",", ".", "!", "?", ":", ";", "-", "(ok)", "42", "2024", "#ops", "@bob", "v1.2"]

CYRILLIC_WORDS = (
    "и в не на я быть он с что а по это она этот к но они мы как из у который то за свой "
    "что весь год от так о для ты же все тот мочь вы человек такой его сказать только или "
    "ещё бы себя один как уже до время если сам когда другой вот говорить наш мой знать стать "
    "при чтобы дело жизнь кто первый очень два день её новый рука даже во со раз где там под "
    "можно ну какой после их работа без самый потом надо хотеть ли слово идти большой должен "
    "место иметь ничто сервер клиент сообщение комната готово привет пока ошибка проверка"
).split()
CYRILLIC_PUNCT = [",", ".", "!", "?", "—", "«да»", "№5", "ёлка", "Щука", "ЪЫЬ"]

EMOJI = (
    [chr(c) for c in range(0x1F600, 0x1F650)]
    + [chr(c) for c in range(0x1F300, 0x1F321)]
    + [chr(c) for c in range(0x1F680, 0x1F6A0)]
    + ["\u2764\ufe0f", "\u2705", "\u2728", "\U0001F44D\U0001F3FD", "\U0001F468\u200D\U0001F4BB", "\U0001F1F7\U0001F1FA"]
)

ESCAPES = ['"', "\\", "\t", '"quoted"', "C:\\path\\to", "a\tb", '\\"', "\\n"]

NAMES = ["alice", "bob", "carol", "dave", "ёжик", "мария", "ops-bot", "x"]
TARGETS = ["#general", "#ops", "#боты", "bob", "alice", "мария"]


def length(rng):
    u = rng.random()
    if u < 0.6:
        return rng.randint(5, 60)
    if u < 0.9:
        return rng.randint(61, 200)
    return rng.randint(201, MAX_MESSAGE)


def words(rng, kind, n):
    parts = []
    total = 0
    while total < n:
        if kind == 0:
            w = rng.choice(ASCII_PUNCT) if rng.random() < 0.1 else rng.choice(ASCII_WORDS)
        elif kind == 1:
            w = rng.choice(CYRILLIC_PUNCT) if rng.random() < 0.1 else rng.choice(CYRILLIC_WORDS)
        else:
            r = rng.random()
            if r < 0.35:
                w = rng.choice(ASCII_WORDS)
            elif r < 0.7:
                w = rng.choice(CYRILLIC_WORDS)
            else:
                w = "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3)))
        parts.append(w)
        total += len(w) + 1
    return " ".join(parts)


def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def message(rng, i):
    u = rng.random()
    kind = 0 if u < 0.5 else 1 if u < 0.8333 else 2
    n = length(rng)
    text = words(rng, kind, n)
    if rng.random() < 0.08:
        pos = rng.randint(0, min(len(text), n))
        text = text[:pos] + rng.choice(ESCAPES) + text[pos:]
    text = text[:n]
    if len(text) < 5:
        text = (text + " pad!!")[:5]
    return text


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    count = int(sys.argv[1])
    rng = random.Random(SEED)
    base = 1732460000.0
    with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as frames, open(
        sys.argv[3], "w", encoding="utf-8", newline="\n"
    ) as lines:
        fb, lb = [], []
        for i in range(count):
            text = message(rng, i)
            while True:
                enc = "ascii" if text.isascii() else "utf-8"
                obj = {
                    "action": "msg",
                    "time": base + i * 0.25,
                    "to": TARGETS[i % len(TARGETS)],
                    "from": NAMES[i % len(NAMES)],
                    "encoding": enc,
                    "message": text,
                }
                frame = compact(obj)
                probe = compact({"action": "msg", "time": 0, "to": "#b", "from": "a", "encoding": enc, "message": text})
                if len(frame) <= MAX_FRAME and len(probe) <= MAX_FRAME:
                    break
                text = text[:-10]
            fb.append(frame)
            lb.append(text)
            if len(fb) >= 10000:
                frames.write("\n".join(fb) + "\n")
                lines.write("\n".join(lb) + "\n")
                fb, lb = [], []
        if fb:
            frames.write("\n".join(fb) + "\n")
            lines.write("\n".join(lb) + "\n")


if __name__ == "__main__":
    main()
