import Testing
@testable import Reporting

@Suite struct ValueLabelTests {
    @Test func natValuesAreAbbreviated() {
        #expect(ValueLabel.short("mapping=endpoint-independent,filtering=address-and-port-dependent") == "EIM/APDF")
        #expect(ValueLabel.short("preset=full-cone") == "full-cone")
        #expect(ValueLabel.short("{preset=full-cone}") == "full-cone")
        #expect(ValueLabel.short("{mapping=address-dependent,filtering=endpoint-independent}") == "ADM/EIF")
        #expect(ValueLabel.short("{behind=home}") == "{behind=home}" && ValueLabel.short("{}") == "{}")
        #expect(ValueLabel.short("[stun1,turn1]") == "[stun1,turn1]")
        #expect(ValueLabel.short("endpoint-independent") == "endpoint-independent")
        #expect(ValueLabel.short("mapping=x,filtering=y") == "mapping=x,filtering=y")
    }
}
