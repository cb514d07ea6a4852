import NetTypes

/// An outstanding server-reflexive query.
struct STUNQuery {
    let base: Endpoint
    let server: Endpoint
    let component: Int
}
