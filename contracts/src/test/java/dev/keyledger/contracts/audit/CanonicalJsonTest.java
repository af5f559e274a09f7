package dev.keyledger.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785's published examples (section 3.2.2, 3.2.3 and appendix B). */
class CanonicalJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void canonicalizesTheRfcExampleOfLiteralsNumbersAndStringEscapes() throws Exception {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }
                """;

        String canonical = CanonicalJson.toString(JSON.readTree(input));

        assertThat(canonical)
                .isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void sortsMemberNamesByUtf16CodeUnits() throws Exception {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }
                """;

        byte[] canonical = CanonicalJson.of(JSON.readTree(input));

        assertThat(new String(canonical, StandardCharsets.UTF_8))
                .isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                        + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
        // The RFC's UTF-8 bytes of the emoji member name.
        assertThat(new String(canonical, StandardCharsets.ISO_8859_1)).contains("\u00f0\u009f\u0098\u0080");
    }

    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2"
    })
    void writesNumbersAsEcmaScriptDoes(String bits, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

        assertThat(CanonicalJson.number(value)).isEqualTo(expected);
        assertThat(CanonicalJson.toString(JsonNodeFactory.instance.numberNode(value)))
                .isEqualTo(expected);
    }

    @Test
    void writesIntegersExactlyUpToTwoToTheFiftyThird() throws Exception {
        assertThat(CanonicalJson.toString(JSON.readTree("[1, -7, 9007199254740992, 100000000000000000000000]")))
                .isEqualTo("[1,-7,9007199254740992,1e+23]");
    }

    @Test
    void refusesWhatJcsCannotRepresent() throws Exception {
        assertThatThrownBy(() -> CanonicalJson.number(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.number(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.of(JSON.readTree("\"\\ud800x\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void leavesOutOnlyTheNamedTopLevelMember() throws Exception {
        var node = JSON.readTree("{\"b\":{\"hash\":1},\"hash\":\"x\",\"a\":[]}");

        String withoutHash = new String(new CanonicalJson().write(node, "hash").toByteArray(), StandardCharsets.UTF_8);

        assertThat(withoutHash).isEqualTo("{\"a\":[],\"b\":{\"hash\":1}}");
    }

    @Test
    void growsItsBufferForLongStringsWithManyEscapes() {
        String value = "\u0001".repeat(5000) + "\u00e9".repeat(3000);

        String canonical = CanonicalJson.toString(JsonNodeFactory.instance.textNode(value));

        assertThat(canonical).isEqualTo("\"" + "\\u0001".repeat(5000) + "\u00e9".repeat(3000) + "\"");
    }
}
