import JIMCLI
import Testing

private let page = #"""
    .Dd $Mdocdate$
    .Dt JIM-SEND 1
    .Os
    .Sh NAME
    .Nm jim-send
    .Nd send lines as JIM messages
    .Sh SYNOPSIS
    .Nm
    .Op Fl kv
    .Op Fl i Ar file
    .Op Fl m Ar text
    .Op Fl t Ar target
    .Op Ar addr Op Ar port
    .Sh DESCRIPTION
    The options are as follows:
    .Bl -tag -width Ds
    .It Fl i Ar file , Fl \-input Ar file
    Read lines from
    .Ar file .
    .It Fl k , Fl -keep-going
    Go on after a failed line.
    .It Fl m Ar text Ns , Fl -message Ar text
    Send one message.
    .It Fl t Ar target , Fl -to Ar target
    Send to
    .Ar target .
    .It Fl u Ar name , Fl -user Ar name
    Take this name.
    .It Fl v , Fl -verbose
    Show frames.
    .It Fl x , Fl -frobnicate
    An option that does not exist.
    .It Fl -help
    Show help.
    .El
    """#

@Test func findsOptionsMarkedUpWithFl() {
    let found = ManPageCheck.documentedOptions(in: page)
    for option in ["-k", "-v", "-i", "--input", "-m", "--message", "-t", "--to", "--keep-going", "-x", "--frobnicate"] {
        #expect(found.contains(option), "missed \(option)")
    }
    #expect(!found.contains("-Ar"))
    #expect(!found.contains("-file"))
    #expect(!found.contains("-D"))
}

@Test func reportsOptionsMissingFromThePageAndUnknownToTheTable() {
    let report = ManPageCheck.compare(SampleSpecs.send, mdoc: page)
    #expect(report.undocumented == ["--connect-timeout"])
    #expect(report.unknown == ["--frobnicate", "-x"])
    #expect(!report.isConsistent)
}

@Test func aCompletePageIsConsistent() {
    let spec = CommandSpec(
        name: "jim-x", summary: "",
        options: [
            .flag("j", "json", help: "json"), .flag("4", "ipv4", help: "v4"),
            .value("t", "to", "TARGET", help: "to"), .flag("secret", help: "", hidden: true),
        ])
    let good = """
        .Op Fl 4j
        .It Fl 4 , Fl -ipv4
        .It Fl j , Fl -json
        .It Xo Fl t Ar target ,
        .Fl -to Ns = Ns Ar target
        .Xc
        .It Fl h , Fl -help , Fl -version
        This is a text line with Fl q in it, which is not markup.
        """
    let report = ManPageCheck.compare(spec, mdoc: good)
    #expect(report == ManPageReport(undocumented: [], unknown: []))
    #expect(report.isConsistent)
}
