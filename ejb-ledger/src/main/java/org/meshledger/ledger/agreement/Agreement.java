package org.meshledger.ledger.agreement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the nodes of a network state about each height, compared with what this node committed. It
 * answers how many nodes agree with this one at a height (for the commit levels {@code quorum} and
 * {@code all}), and finds faults:
 * <ul>
 * <li><b>divergence</b>: a node's checkpoint differs from this node's at a height. If a majority of
 * the network's nodes agree on a checkpoint that is not this node's, or no majority agrees on any,
 * this node is in the minority: it is {@linkplain #halted() halted} (it takes no more writes) with
 * the evidence. Otherwise the other node is the one that diverged, and the evidence is kept;
 * <li><b>equivocation</b>: one node signed two different checkpoints for one height; both are kept.
 * </ul>
 * Checkpoints arrive verified ({@link SignedCheckpoint#decode}). Heights are kept for a window
 * (oldest dropped first), enough for the waits that need them.
 *
 * <p>Thread-safe: the node's block writer records its own checkpoints, the checkpoints reader the
 * others', request threads wait; all under one lock, with evidence and waits completed outside it.
 */
public final class Agreement {

    private static final int WINDOW = 100_000;

    /** A wait for {@code needed} nodes (this one included) to agree at {@code height}. */
    private record Wait(long height, int needed, CompletableFuture<Integer> done) {
    }

    private final String self;
    private final Set<String> nodes;
    private final Consumer<Evidence> evidence;
    private final NavigableMap<Long, Map<String, SignedCheckpoint>> byHeight = new TreeMap<>();
    private final List<Wait> waits = new ArrayList<>();
    private volatile Evidence halted;
    private volatile long agreedHeight;
    /** The (height, node) divergences already reported. */
    private final Set<String> reported = new java.util.HashSet<>();

    /**
     * @param nodes every node of the network, this one included
     * @param evidence told of each fault found (on the thread that found it)
     */
    public Agreement(String self, Set<String> nodes, Consumer<Evidence> evidence) {
        this.self = self;
        this.nodes = Set.copyOf(nodes);
        this.evidence = evidence;
    }

    /** How many nodes make a majority of the network. */
    public int majority() {
        return nodes.size() / 2 + 1;
    }

    public int size() {
        return nodes.size();
    }

    /** The highest height a majority of the nodes agrees on with this node (0: none yet). */
    public long agreedHeight() {
        return agreedHeight;
    }

    /** Why this node stopped taking writes, or null if it did not. */
    public Evidence halted() {
        return halted;
    }

    /** Records a checkpoint, this node's or another's; returns the faults it reveals (also told to the listener). */
    public List<Evidence> record(SignedCheckpoint signed) {
        List<Evidence> found = new ArrayList<>();
        List<Wait> ready = new ArrayList<>();
        synchronized (this) {
            Checkpoint checkpoint = signed.checkpoint();
            if (!nodes.contains(checkpoint.node())) {
                return found;
            }
            Map<String, SignedCheckpoint> atHeight = byHeight.computeIfAbsent(checkpoint.height(), h -> new HashMap<>());
            SignedCheckpoint earlier = atHeight.get(checkpoint.node());
            if (earlier != null) {
                if (!earlier.checkpoint().agreesWith(checkpoint)) {
                    found.add(new Evidence(Evidence.Kind.EQUIVOCATION, checkpoint.node(), checkpoint.height(),
                            "node " + checkpoint.node() + " signed two different checkpoints for height "
                                    + checkpoint.height(), List.of(earlier, signed)));
                }
                return report(found);
            }
            atHeight.put(checkpoint.node(), signed);
            found.addAll(compare(checkpoint.height(), atHeight));
            if (agreeing(checkpoint.height()) >= majority()) {
                agreedHeight = Math.max(agreedHeight, checkpoint.height());
            }
            for (Wait wait : waits) {
                if (agreeing(wait.height()) >= wait.needed()) {
                    ready.add(wait);
                }
            }
            waits.removeAll(ready);
            while (byHeight.size() > WINDOW) {
                byHeight.pollFirstEntry();
            }
        }
        ready.forEach(wait -> wait.done().complete(wait.needed()));
        return report(found);
    }

    private List<Evidence> report(List<Evidence> found) {
        found.forEach(evidence);
        return found;
    }

    /**
     * The faults a height's checkpoints show once this node's is among them: each node that states
     * another ledger than this one (once), and this node itself once it is in the minority.
     */
    private List<Evidence> compare(long height, Map<String, SignedCheckpoint> atHeight) {
        List<Evidence> found = new ArrayList<>();
        SignedCheckpoint own = atHeight.get(self);
        if (own == null) {
            return found;
        }
        Map<String, List<SignedCheckpoint>> groups = new HashMap<>();
        for (SignedCheckpoint c : atHeight.values()) {
            groups.computeIfAbsent(key(c.checkpoint()), k -> new ArrayList<>()).add(c);
        }
        if (groups.size() == 1) {
            return found;
        }
        List<SignedCheckpoint> mine = groups.get(key(own.checkpoint()));
        List<SignedCheckpoint> largest = groups.values().stream().max((a, b) -> a.size() - b.size()).orElseThrow();
        int unknown = nodes.size() - atHeight.size();
        boolean majorityElsewhere = largest != mine && largest.size() >= majority();
        boolean noMajority = groups.values().stream().allMatch(g -> g.size() + unknown < majority());
        boolean minority = majorityElsewhere || noMajority;
        for (SignedCheckpoint other : atHeight.values()) {
            String node = other.checkpoint().node();
            if (node.equals(self) || other.checkpoint().agreesWith(own.checkpoint())
                    || !reported.add(height + "|" + node)) {
                continue;
            }
            found.add(new Evidence(Evidence.Kind.DIVERGENCE, node, height, "at height " + height + " node " + node
                    + " states block " + other.checkpoint().blockHash() + " where node " + self + " states block "
                    + own.checkpoint().blockHash(), List.of(own, other)));
        }
        if (minority && halted == null) {
            SignedCheckpoint other = majorityElsewhere ? largest.get(0)
                    : atHeight.values().stream().filter(c -> !c.checkpoint().agreesWith(own.checkpoint())).findFirst()
                            .orElseThrow();
            halted = new Evidence(Evidence.Kind.DIVERGENCE, self, height, "at height " + height + (majorityElsewhere
                    ? " a majority of the network (" + largest.size() + " of " + nodes.size() + " nodes) states block "
                            + largest.get(0).checkpoint().blockHash() + ", not this node's block "
                            + own.checkpoint().blockHash()
                    : " the nodes state " + groups.size() + " different blocks and no majority can agree")
                    + ": this node diverged and takes no more writes", List.of(own, other));
            found.add(halted);
        }
        return found;
    }

    private static String key(Checkpoint c) {
        return c.blockHash() + "|" + c.stateHash() + "|" + c.ledgerRoot();
    }

    /** How many nodes (this one included) state what this node states at {@code height}; 0 before it has. */
    public synchronized int agreeing(long height) {
        Map<String, SignedCheckpoint> atHeight = byHeight.get(height);
        if (atHeight == null || !atHeight.containsKey(self)) {
            return 0;
        }
        Checkpoint own = atHeight.get(self).checkpoint();
        return (int) atHeight.values().stream().filter(c -> c.checkpoint().agreesWith(own)).count();
    }

    /**
     * Completes once {@code needed} nodes (this one included) agree with this node at {@code height}
     * (every node states a checkpoint for every block it commits).
     */
    public CompletableFuture<Integer> await(long height, int needed) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        synchronized (this) {
            if (agreeing(height) >= needed) {
                done.complete(needed);
            } else {
                waits.add(new Wait(height, needed, done));
            }
        }
        return done;
    }

    /** This node's checkpoint at a height, if it has one in the window. */
    public synchronized java.util.Optional<SignedCheckpoint> own(long height) {
        Map<String, SignedCheckpoint> atHeight = byHeight.get(height);
        return java.util.Optional.ofNullable(atHeight == null ? null : atHeight.get(self));
    }

    /** The checkpoints the window holds for a height, by node. */
    public synchronized Map<String, SignedCheckpoint> at(long height) {
        return Map.copyOf(byHeight.getOrDefault(height, Map.of()));
    }
}
