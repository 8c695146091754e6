import Foundation

/// Whether a need fits what a machine has.
public enum ResourceFit: String, Sendable, Comparable, CaseIterable {
    /// It fits and leaves the headroom free.
    case yes
    /// It fits only by eating into the headroom: expect swapping or a slow machine.
    case tight
    /// It does not fit.
    case no

    public static func < (left: ResourceFit, right: ResourceFit) -> Bool {
        left.order < right.order
    }

    private var order: Int {
        switch self {
        case .yes: return 0
        case .tight: return 1
        case .no: return 2
        }
    }

    /// Memory kept free for the system and other programs: 20% of the budget, at least 1 GiB.
    public static func memoryHeadroom(forBudget budget: UInt64) -> UInt64 {
        max(1 << 30, budget / 5)
    }

    /// Disk kept free after a download: 1 GiB, so the file system never fills up.
    public static let diskHeadroom: UInt64 = 1 << 30

    /// How `need` bytes fit into `budget` bytes with `headroom` kept free.
    public static func evaluate(need: UInt64, budget: UInt64, headroom: UInt64) -> ResourceFit {
        if need > budget { return .no }
        return need <= budget - min(headroom, budget) ? .yes : .tight
    }
}

/// Formats byte counts the way the Hub and model cards do: decimal gigabytes with one decimal.
public enum ByteCount {
    public static func format(_ bytes: UInt64) -> String {
        switch bytes {
        case 1_000_000_000...: return String(format: "%.1f GB", Double(bytes) / 1e9)
        case 1_000_000...: return String(format: "%.0f MB", Double(bytes) / 1e6)
        case 1000...: return String(format: "%.0f KB", Double(bytes) / 1e3)
        default: return "\(bytes) B"
        }
    }
}
