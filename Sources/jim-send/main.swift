import JIMTools

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(SendTool.main(arguments: CommandLine.arguments, streams: .standard).rawValue)
