/// Request frames as our tools write them, one per line, for end-to-end tests.
enum JIMFrames {
    static func presence(_ name: String) -> String {
        #"{"action":"presence","time":1732460000.25,"type":"status","user":{"account_name":"\#(name)","status":"here"}}"# + "\n"
    }

    static func authenticate(_ name: String, _ password: String) -> String {
        #"{"action":"authenticate","time":1732460000.25,"user":{"account_name":"\#(name)","password":"\#(password)"}}"# + "\n"
    }

    static func msg(to: String, from: String? = nil, _ text: String = "hi") -> String {
        let fromField = from.map { #","from":"\#($0)""# } ?? ""
        return #"{"action":"msg","time":1732460000.25,"to":"\#(to)"\#(fromField),"encoding":"ascii","message":"\#(text)"}"# + "\n"
    }

    static func join(_ room: String) -> String { #"{"action":"join","time":1732460000.25,"room":"\#(room)"}"# + "\n" }
    static func leave(_ room: String) -> String { #"{"action":"leave","time":1732460000.25,"room":"\#(room)"}"# + "\n" }
    static let quit = #"{"action":"quit"}"# + "\n"
}
