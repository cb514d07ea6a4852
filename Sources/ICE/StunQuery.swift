import NetTypes

/// An outstanding server-reflexive query.
struct StunQuery {
    let base: Endpoint
    let server: Endpoint
    let component: Int
}
