import JIMCLI
import JIMCore

/// The exit statuses of `jim-send` and `jim-listen`, and how answers map to them.
///
/// 0 success; 1 a message not delivered (404 no such user or room, 410 offline, 403 not in the room);
/// 64 usage; 65 bad input (a line past a limit, a bad frame, or 400 from the server); 69 the server
/// unreachable, or the connection lost; 75 timed out; 77 the identity refused (401, 402, 403, 409 to
/// presence or authenticate, or to a join the tool needed).
enum ClientStatus {
    /// The exit-status part of both tools' help.
    static let help = """

        Exit status:
          0   success (also after SIGINT, SIGTERM, or a closed standard output)
          1   a message was not delivered (404 no such user or room, 410 offline,
              403 not allowed, other refusals)
          64  usage error
          65  bad input: a line past a limit, a bad frame, or 400 from the server
          66  an input file or the password file cannot be opened
          69  the server is unreachable, or the connection was lost
          70  an internal error
          74  a read or write error
          75  timed out
          77  the identity was refused (401, 402, 403 or 409 to presence,
              authenticate or a room's join)

        """

    /// The status for a refused answer to `request`.
    static func status(for answer: ClientSession.Answer) -> ExitStatus {
        let code = answer.response.code.rawValue
        switch answer.request {
        case .identify, .presence:
            return code >= 500 ? .unavailable : .noPermission
        case .join where answer.record == nil:
            // A room the tool was told to be in (jim-listen -r).
            return [401, 402, 403, 409].contains(code) ? .noPermission : code == 400 ? .dataError : .failure
        default:
            return code == 400 ? .dataError : .failure
        }
    }

    /// How bad a status is, for keeping the worst: undelivered < bad input < unreadable input <
    /// timed out < unreachable < refused identity < usage < internal error.
    static func severity(_ status: ExitStatus) -> Int {
        switch status {
        case .ok: 0
        case .failure: 1
        case .dataError: 2
        case .noInput, .ioError: 3
        case .tempFail: 4
        case .unavailable: 5
        case .noPermission: 6
        case .usage: 7
        case .software: 8
        }
    }

    /// The worse of two statuses.
    static func worst(_ a: ExitStatus, _ b: ExitStatus) -> ExitStatus {
        severity(b) > severity(a) ? b : a
    }

    /// The text of a response for a diagnostic: `410 bob is offline`, or the code's phrase.
    static func describe(_ response: Response) -> String {
        "\(response.code.rawValue) \(response.text ?? response.code.phrase)"
    }

    /// Sorted numbers as ranges: `[1, 2, 3, 5]` gives `1-3, 5`.
    static func ranges(_ numbers: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < numbers.count {
            var j = i
            while j + 1 < numbers.count && numbers[j + 1] == numbers[j] + 1 { j += 1 }
            parts.append(i == j ? "\(numbers[i])" : "\(numbers[i])-\(numbers[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
