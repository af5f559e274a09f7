package dev.keyledger.edge.bench;

import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.KeyEntryParser;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * Heap retained per active key: loads N entries (default 1,000,000; half secret, half public, 1,000
 * organizations, 10,000 databases with two origins each, every tenth key expiring) through the same
 * JSON decoding and parser the follower uses, and compares the used heap after full GCs.
 * Run by {@code auth-edge/bench/memory.sh}.
 */
public final class MemoryPerKey {

    private MemoryPerKey() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        ActiveKeyTable table = new ActiveKeyTable();
        KeyEntryParser parser = new KeyEntryParser();
        SecureRandom random = new SecureRandom();
        long[] hash = new long[4];
        for (int i = 0; i < count; i++) {
            for (int w = 0; w < 4; w++) {
                hash[w] = random.nextLong();
            }
            boolean secret = i % 2 == 0;
            int db = i % 10_000;
            ActiveKeyEntry value = new ActiveKeyEntry(
                    "key_01J" + String.format("%023d", i),
                    secret ? "secret" : "public",
                    "org_01J" + String.format("%023d", i % 1000),
                    secret ? null : "db_01J" + String.format("%023d", db),
                    "pro",
                    600,
                    100_000,
                    secret
                            ? List.of()
                            : List.of("https://app" + db + ".example.com", "https://*.tenant" + db + ".example"),
                    i % 10 == 0 ? Instant.parse("2030-01-01T00:00:00Z") : null);
            ActiveKeyEntry decoded = KeyledgerJson.read(KeyledgerJson.write(value), ActiveKeyEntry.class);
            table.put(parser.parse(hash, decoded));
        }
        long after = usedAfterGc(memory);
        long perKey = (after - before) / count;
        System.out.printf(
                "keys=%d heap_before=%d heap_after=%d bytes_per_key=%d (table and intern pools included)%n",
                table.size(), before, after, perKey);
        if (table.size() != count || parser == null) {
            throw new IllegalStateException("table lost keys");
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
