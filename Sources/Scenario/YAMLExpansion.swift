import Yams

/// The size of a parsed document as the decoders see it: Yams resolves an alias (`*name`)
/// to the very node its anchor (`&name`) names, so a few lines of anchors can stand for
/// billions of nodes ("billion laughs"). Every later stage walks the expanded tree, so
/// the document is measured once, right after parsing, and refused past a budget.
enum YAMLExpansion {
    /// Deepest nesting allowed after expanding aliases: libyaml's own limit for nesting
    /// written out in the text (its `MAX_NESTING_LEVEL`).
    static let maxDepth = 1000

    /// Counts the nodes of `root` with every alias expanded where it is used, in document
    /// order, and fails as soon as `maxNodes` or `maxDepth` is passed: the work is bounded
    /// by the budget, not by the size of the expansion (and the recursion by `maxDepth`).
    /// The error points at the last place in the text on the way down, i.e. where the
    /// expansion started.
    static func check(_ root: Node, file: String, maxNodes: Int) throws(ScenarioError) {
        var count = 0
        var failure: (site: Mark?, message: String)?
        walk(root, depth: 1, site: root.mark, expanding: false, count: &count, maxNodes: maxNodes, failure: &failure)
        if let failure {
            throw ScenarioError(SourceLocation(file: file, line: failure.site?.line ?? 1, column: failure.site?.column ?? 1), failure.message)
        }
    }

    /// Counts `node` and its subtree; `site` is where the walk last was in the text
    /// (inside an expansion: where it began). Returns false once over a limit.
    @discardableResult
    private static func walk(_ node: Node, depth: Int, site: Mark?, expanding: Bool, count: inout Int, maxNodes: Int,
                             failure: inout (site: Mark?, message: String)?) -> Bool {
        count += 1
        guard count <= maxNodes else {
            failure = (site, "the document expands to more than \(maxNodes) YAML nodes (each use of an alias counts everything its anchor holds)")
            return false
        }
        guard depth <= maxDepth else {
            failure = (site, "the document nests more than \(maxDepth) levels deep (aliases included)")
            return false
        }
        // A child not written after what it follows (its key, the previous element) is an
        // alias use: the node it resolves to was written before, at its anchor.
        func visit(_ child: Node, after previous: Mark?, strictly: Bool = true) -> Bool {
            let inOrder = !expanding && follows(child.mark, previous, strictly: strictly)
            return walk(child, depth: depth + 1, site: inOrder ? child.mark : (expanding ? site : previous), expanding: !inOrder,
                        count: &count, maxNodes: maxNodes, failure: &failure)
        }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let sequence):
            var previous = node.mark
            for element in sequence {
                guard visit(element, after: previous) else { return false }
                previous = element.mark
            }
            return true
        case .mapping(let mapping):
            // A block mapping starts where its first key does.
            var previous = node.mark, first = true
            for (key, value) in mapping {
                guard visit(key, after: previous, strictly: !first), visit(value, after: key.mark) else { return false }
                previous = value.mark
                first = false
            }
            return true
        }
    }

    /// Whether `mark` comes after `previous` in the text (or at it, unless `strictly`);
    /// unknown positions count as in order.
    private static func follows(_ mark: Mark?, _ previous: Mark?, strictly: Bool) -> Bool {
        guard let mark, let previous else { return true }
        let a = (mark.line, mark.column), b = (previous.line, previous.column)
        return strictly ? a > b : a >= b
    }
}
