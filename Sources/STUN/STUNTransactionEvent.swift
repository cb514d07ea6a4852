import NetTypes

/// How a client transaction ended.
public enum STUNTransactionEvent {
    /// A success response; `rtt` runs from the first transmission of the request.
    case success(id: STUNTransactionID, response: DecodedSTUNMessage, from: Endpoint, rtt: Duration)
    /// An error response carrying `code`.
    case errorResponse(id: STUNTransactionID, code: STUNErrorCode, response: DecodedSTUNMessage, from: Endpoint)
    /// No acceptable response before the last timer expired.
    case timeout(id: STUNTransactionID)

    /// The transaction the event ends.
    public var id: STUNTransactionID {
        switch self {
        case .success(let id, _, _, _), .errorResponse(let id, _, _, _), .timeout(let id): return id
        }
    }
}
