"""A JIM client written the way the course's students write them (PROTOCOL.md section 5).

One json.dumps() per send(): no newline, ", " and ": " separators, non-ASCII as \\uXXXX, time as
a float. One recv(1024) per answer, parsed as exactly one object.

    course_client.py HOST PORT NAME listen         print the first msg pushed to NAME as "FROM: TEXT"
    course_client.py HOST PORT NAME send PEER TEXT  send TEXT to PEER, print the response code
"""
import json
import socket
import sys
import time


def send(sock, obj):
    sock.send(json.dumps(obj).encode("utf-8"))


def receive(sock):
    data = sock.recv(1024)
    return json.loads(data.decode("utf-8"))


def main():
    host, port, name, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect((host, port))
    send(sock, {"action": "presence", "time": time.time(), "type": "status",
                "user": {"account_name": name, "status": "Yep, I am here!"}})
    answer = receive(sock)
    print("presence", answer["response"], answer.get("alert"), flush=True)
    if mode == "listen":
        push = receive(sock)
        print("%s: %s (%s)" % (push["from"], push["message"], push["encoding"]), flush=True)
    else:
        peer, text = sys.argv[5], sys.argv[6]
        send(sock, {"action": "msg", "time": time.time(), "to": peer, "from": name, "encoding": "utf-8",
                    "message": text})
        answer = receive(sock)
        print("msg", answer["response"], answer.get("alert") or answer.get("error"), flush=True)
    send(sock, {"action": "quit"})
    sock.close()


if __name__ == "__main__":
    main()
