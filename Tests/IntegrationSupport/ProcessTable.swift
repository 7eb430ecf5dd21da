// ProcessTable.swift — what /proc says about process groups and listening sockets.
//
// Linux only; elsewhere the answers are the cautious ones (no members found, any
// listener accepted), which only weakens the leftover sweep and the port-owner check.
import Foundation

enum ProcessTable {
    /// The live (non-zombie) processes whose process group is `group`.
    static func members(ofProcessGroup group: pid_t) -> [pid_t] {
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return []
        }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let commandEnd = stat.lastIndex(of: ")")
            else {
                return nil
            }
            // After "pid (comm)": state, ppid, pgrp, … — comm itself may hold spaces.
            let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", pid_t(fields[2]) == group else {
                return nil
            }
            return pid
        }
        #else
        return []
        #endif
    }

    /// Whether a process of group `group` holds the socket listening on IPv4 `port`.
    /// Tells our server's listener apart from one that took the port before it did.
    static func processGroup(_ group: pid_t, listensOn port: Int) -> Bool {
        #if os(Linux)
        let listeners = listeningSocketInodes(port: port)
        guard !listeners.isEmpty else {
            return false
        }
        for pid in members(ofProcessGroup: group) {
            let fdDirectory = "/proc/\(pid)/fd"
            for fd in (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? [] {
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"),
                    listeners.contains(target)
                {
                    return true
                }
            }
        }
        return false
        #else
        return true
        #endif
    }

    /// `socket:[inode]` names of the IPv4 sockets in state LISTEN on `port`.
    private static func listeningSocketInodes(port: Int) -> Set<String> {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else {
            return []
        }
        let portSuffix = ":" + String(format: "%04X", port)
        var inodes = Set<String>()
        // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        for line in table.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: " ")
            if columns.count > 9, columns[1].hasSuffix(portSuffix), columns[3] == "0A" {
                inodes.insert("socket:[\(columns[9])]")
            }
        }
        return inodes
    }
}
