package dev.keyledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Picocli usage errors and locally refused arguments exit 2 with one message, no stack trace. */
class UsageErrorsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "nonsense",
                "audit",
                "audit verify",
                "audit verify a.ndjson --unknown-flag",
                "audit export -o out.ndjson",
                "audit export --org org_1 -o out.ndjson --from yesterday",
                "audit export --org org_1 -o out.ndjson --from 2026-02-01T00:00:00Z --to 2026-01-01T00:00:00Z",
                "audit export --org ../../admin -o out.ndjson",
                "keys",
                "keys valid-at --org org_1",
                "keys valid-at --org org_1 not-an-instant",
                "keys history --org org_1",
                "keys history --org org_1 key/../x",
                "rebuild --interval 5",
                "rebuild --query-url ftp://example.com",
                "rebuild --timeout 0",
                "auth token",
                "auth token --issuer http://localhost:1",
                "auth token --issuer http://localhost:1 --client-id cli"
            })
    void exitsTwo(String line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");

        int exit = KeyledgerCli.run(new PrintWriter(out), new PrintWriter(err), args);

        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString())
                .startsWith("keyledger: ")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "audit --help",
                "audit verify --help",
                "audit export --help",
                "keys valid-at --help",
                "keys history --help",
                "rebuild --help",
                "auth token --help"
            })
    void everySubcommandHasHelp(String line) {
        StringWriter out = new StringWriter();

        int exit = KeyledgerCli.run(new PrintWriter(out), new PrintWriter(new StringWriter()), line.split(" "));

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("Usage: keyledger").contains("--help");
    }
}
