#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import JIMTools

exit(ServeTool.main(arguments: CommandLine.arguments, streams: .standard).rawValue)
