extension ServerState {
    /// Sets the clock and, when a sweep is due, drops silent connections and probes idle ones.
    mutating func tick(_ time: ServerTime, into actions: inout [ServerAction]) {
        // `time` fields are written to the millisecond or better: reformat only when that changes.
        if abs(time.wall - formattedWall) >= 0.001 { setTime(time) } else { now = time }
        guard time.monotonic >= nextSweep else { return }
        nextSweep = time.monotonic + sweepInterval
        sweep(into: &actions)
    }

    /// How often timeouts are checked: a quarter of the shortest timeout, between 10 ms and 1 s.
    var sweepInterval: Double {
        var shortest = configuration.presenceTimeout
        if configuration.probeInterval > 0 {
            shortest = min(shortest, configuration.probeInterval, configuration.probeTimeout)
        }
        return min(1, max(0.01, shortest / 4))
    }

    mutating func setTime(_ time: ServerTime) {
        now = time
        formattedWall = time.wall
        timeText = Array(JSONNumber.format(time.wall).utf8)
        okResponse = nil
    }

    /// One pass over every connection: presence timeouts, probe timeouts, new probes.
    private mutating func sweep(into actions: inout [ServerAction]) {
        let t = now.monotonic
        var expired: [(ConnectionID, String)] = []
        var probed: [ConnectionID] = []
        var probe: [UInt8]?
        for (id, client) in clients {
            if client.name == nil {
                if !client.verifying && t - client.openedAt >= configuration.presenceTimeout {
                    expired.append((id, "no presence within \(seconds(configuration.presenceTimeout))"))
                }
            } else if let probedAt = client.probedAt {
                if t - probedAt >= configuration.probeTimeout {
                    expired.append((id, "no answer to probe within \(seconds(configuration.probeTimeout))"))
                }
            } else if configuration.probeInterval > 0 && t - client.lastHeard >= configuration.probeInterval {
                if probe == nil { probe = encodedProbe() }
                actions.append(.send(id, probe![...]))
                probed.append(id)
                log(.debug, into: &actions) { "\(id)\(client.nameForLog) probed after \(seconds(t - client.lastHeard)) of silence" }
            }
        }
        // Marked after the pass: changing `clients` while iterating it would copy the whole table.
        for id in probed { clients[id]?.probedAt = t }
        for (id, reason) in expired.sorted(by: { $0.0 < $1.0 }) { close(id, reason: reason, level: .info, into: &actions) }
    }

    private func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(JSONNumber.format(s)) s"
    }
}
