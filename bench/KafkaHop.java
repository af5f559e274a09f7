import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;
/**
 * One Kafka hop, measured: a record sent (acks=all, linger 0) and the poll of a consumer that waits
 * for it, 100 times 30 ms apart, on the topic keyledger.probe. Prints the percentiles in ms.
 * Usage: java -cp CLASSPATH bench/KafkaHop.java BOOTSTRAP [FETCH_MAX_WAIT_MS]
 */
public class KafkaHop {
  public static void main(String[] a) throws Exception {
    Properties pp = new Properties();
    pp.put("bootstrap.servers", a[0]); pp.put("acks", "all"); pp.put("linger.ms", "0");
    pp.put("key.serializer", StringSerializer.class.getName()); pp.put("value.serializer", ByteArraySerializer.class.getName());
    Properties cp = new Properties();
    cp.put("bootstrap.servers", a[0]); cp.put("fetch.max.wait.ms", a.length > 1 ? a[1] : "500");
    cp.put("key.deserializer", StringDeserializer.class.getName()); cp.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaProducer<String, byte[]> pr = new KafkaProducer<>(pp); KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp)) {
      pr.send(new ProducerRecord<>("keyledger.probe", "warm", new byte[10])).get();
      TopicPartition tp = new TopicPartition("keyledger.probe", 0);
      c.assign(List.of(tp)); c.seekToEnd(List.of(tp)); c.position(tp);
      double[] d = new double[100];
      for (int i = 0; i < 100; i++) {
        final long[] sent = new long[1];
        Thread t = new Thread(() -> { try { Thread.sleep(30); sent[0] = System.nanoTime(); pr.send(new ProducerRecord<>("keyledger.probe", 0, "k", new byte[10])); } catch (Exception e) { throw new IllegalStateException(e); } });
        t.start();
        int got = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got == 0) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("no record within 10 s");
          got = c.poll(Duration.ofMillis(1000)).count();
        }
        long recv = System.nanoTime();
        t.join();
        d[i] = (recv - sent[0]) / 1e6;
      }
      Arrays.sort(d);
      System.out.printf("RESULT send->poll p10 %.2f p50 %.2f p90 %.2f p99 %.2f ms%n", d[10], d[50], d[90], d[99]);
    }
  }
}
