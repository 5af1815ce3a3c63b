package io.meridian.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Wire answers to service lookups, kept so that the same query is answered again without being parsed, its records
 * built or the registry read, while the view this member holds for the service is the one the answer came from
 * ({@link DnsAnswerer#stillHeld}), and for at most {@link #MOST_AGE}: the permissions an answer was made under are not
 * asked again meanwhile, so a changed ACL policy applies to DNS within that, as it does to the ACL store's own copy.
 * Finding a kept answer never waits. A query is the same when its bytes after the ID are, over the same transport;
 * the answer goes back with the asker's ID.
 * <p>
 * An answer with several records is kept in each of its rotations, and each query gets one at random: every instance
 * comes first equally often, as with the per-answer shuffle of a built answer. Only NOERROR answers with at most
 * {@value #MOST_RECORDS} answer records are kept; what else is asked, names that do not exist included, is answered
 * afresh each time, so made-up names cannot fill this. What is kept is bounded by its bytes, the least used going
 * first. Thread-safe.
 */
final class KeptAnswers {

    static final int MOST_RECORDS = 32;
    static final long MOST_BYTES = 8L << 20;
    static final Duration MOST_AGE = Duration.ofSeconds(1);

    private final DnsAnswerer answerer;
    private final Cache<Question, Kept> kept = Caffeine.newBuilder()
            .maximumWeight(MOST_BYTES)
            .weigher((Question question, Kept answer) -> question.weight() + answer.weight())
            .expireAfterWrite(MOST_AGE)
            .executor(Runnable::run)
            .build();

    KeptAnswers(DnsAnswerer answerer) {
        this.answerer = answerer;
    }

    /** A kept answer to the query, in a random rotation and with its ID, or {@code null} if none is kept or holds. */
    Found find(byte[] request, boolean overUdp) {
        Question question = Question.of(request, overUdp);
        Kept answer = kept.getIfPresent(question);
        if (answer == null) {
            return null;
        }
        if (!answerer.stillHeld(answer.basis())) {
            kept.asMap().remove(question, answer);
            return null;
        }
        return new Found(answer.withId(request), answer.typeLabel());
    }

    /**
     * The wire form of the response to send for the request, keeping it for the same query if it can be given again.
     *
     * @param limit the most bytes the response may take (UDP), or {@code 0} for no limit (TCP)
     */
    byte[] keep(byte[] request, boolean overUdp, DnsAnswerer.Answer answer, int limit, String typeLabel) {
        Message response = answer.response();
        List<Record> answers = response.getSection(Section.ANSWER);
        if (answer.basis() == null || response.getRcode() != Rcode.NOERROR || answers.isEmpty()
                || answers.size() > MOST_RECORDS) {
            return wire(response, limit);
        }
        List<Record> additional = response.getSection(Section.ADDITIONAL).stream()
                .filter(record -> !(record instanceof OPTRecord)).toList();
        byte[][] rotations = new byte[answers.size()][];
        for (int turn = 0; turn < rotations.length; turn++) {
            rotations[turn] = wire(rotated(response, answers, additional, turn), limit);
        }
        Kept made = new Kept(answer.basis(), rotations, typeLabel);
        kept.put(Question.of(request, overUdp), made);
        return made.withId(request);
    }

    private static byte[] wire(Message response, int limit) {
        return limit == 0 ? response.toWire() : response.toWire(limit);
    }

    /** The response with its answer and additional records (the OPT record aside) turned by {@code turn}. */
    private static Message rotated(Message response, List<Record> answers, List<Record> additional, int turn) {
        Message rotated = response.clone();
        OPTRecord edns = response.getOPT();
        rotated.removeAllRecords(Section.ANSWER);
        rotated.removeAllRecords(Section.ADDITIONAL);
        for (int i = 0; i < answers.size(); i++) {
            rotated.addRecord(answers.get((i + turn) % answers.size()), Section.ANSWER);
        }
        for (int i = 0; i < additional.size(); i++) {
            rotated.addRecord(additional.get((i + turn) % additional.size()), Section.ADDITIONAL);
        }
        if (edns != null) {
            rotated.addRecord(edns, Section.ADDITIONAL);
        }
        return rotated;
    }

    /** A kept answer's wire form for one query, and the question type to count it under. */
    record Found(byte[] wire, String typeLabel) {
    }

    /** A query's bytes after its ID, and whether it came over UDP (where answers are cut to a size). */
    private record Question(boolean overUdp, ByteBuffer afterId) {

        static Question of(byte[] request, boolean overUdp) {
            return new Question(overUdp, ByteBuffer.wrap(request, 2, request.length - 2).slice());
        }

        int weight() {
            return afterId.remaining();
        }
    }

    /** An answer in each of its rotations, and the view it came from. */
    private record Kept(DnsAnswerer.Basis basis, byte[][] rotations, String typeLabel) {

        byte[] withId(byte[] request) {
            byte[] wire = rotations[ThreadLocalRandom.current().nextInt(rotations.length)].clone();
            wire[0] = request[0];
            wire[1] = request[1];
            return wire;
        }

        int weight() {
            int bytes = 0;
            for (byte[] rotation : rotations) {
                bytes += rotation.length;
            }
            return bytes;
        }
    }
}
