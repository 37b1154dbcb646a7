extension ServerState {
    /// One room: its members in the order they joined. It is deleted when the last one leaves.
    struct Room {
        var members: [ConnectionID]
    }
}
