using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace ExclusivityEngine.Scenarios;

/// <summary>
/// Positions of strings in a list, found from their UTF-8 bytes with no string made: how a plain batch line's field
/// names, products, clouds, choices, attribute values and named ids are found. A list of up to
/// <see cref="MaxPerfect"/> strings gets a table where each has a slot of its own (a multiplier is searched for when the
/// index is made), so a string is found with one multiplication and one slot's comparison, no loop and no call; a
/// longer list is found with one hash probe. The first of two equal strings keeps its position.
/// </summary>
internal sealed class Utf8Index
{
    /// <summary>Lists up to this long get a slot a string; longer ones are hashed (a slot each is then costly to find).</summary>
    private const int MaxPerfect = 64;

    /// <summary>Each string at its slot (<see cref="Slot"/>), an empty slot's length -1; null when the list is hashed.</summary>
    private readonly Entry[]? _slots;

    private readonly ulong _multiplier;

    private readonly int _shift;

    /// <summary>A string as its length and <see cref="Pieces"/>; its bytes too when the pieces do not hold it whole.</summary>
    private readonly record struct Entry(int Length, ulong Low, ulong Middle, ulong High, int Position, byte[]? Longer);

    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public Utf8Index(IEnumerable<string> values)
    {
        var positions = new Dictionary<byte[], int>(BytesComparer.Instance);
        var position = 0;
        foreach (var value in values)
        {
            positions.TryAdd(Encoding.UTF8.GetBytes(value), position++);
        }
        _lookup = positions.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (positions.Count <= MaxPerfect && SlotEach(positions) is { } table)
        {
            (_slots, _multiplier, _shift) = table;
        }
    }

    /// <summary>The position of the string spelt <paramref name="utf8"/>, or -1.</summary>
    /// <remarks>Not inlined: inlined into the plain-line reader it cost more than the call (registers spilt).</remarks>
    public int IndexOf(ReadOnlySpan<byte> utf8)
    {
        if (_slots is { } slots)
        {
            var (low, middle, high) = Pieces(utf8);
            ref readonly var entry = ref slots[Slot(low, middle, high, utf8.Length, _multiplier, _shift)];
            return entry.Length == utf8.Length && entry.Low == low && entry.High == high && entry.Middle == middle
                && (entry.Longer is null || utf8.SequenceEqual(entry.Longer))
                ? entry.Position
                : -1;
        }
        return _lookup.TryGetValue(utf8, out var found) ? found : -1;
    }

    /// <summary>
    /// A table of a slot a string: the first of a fixed sequence of odd multipliers that gives every string a slot of its
    /// own, in a table of two to sixteen times the list's length; null when none does (the list is then hashed).
    /// </summary>
    private static (Entry[] Slots, ulong Multiplier, int Shift)? SlotEach(Dictionary<byte[], int> positions)
    {
        var entries = positions.Select(p =>
        {
            var (low, middle, high) = Pieces(p.Key);
            return new Entry(p.Key.Length, low, middle, high, p.Value, p.Key.Length > PiecesHoldAll ? p.Key : null);
        }).ToArray();
        if (entries.DistinctBy(e => (e.Length, e.Low, e.Middle, e.High)).Count() < entries.Length)
        {
            return null; // strings past 24 bytes alike in their pieces: no multiplier parts them
        }
        var fit = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, entries.Length)));
        var state = 0x9E3779B97F4A7C15UL;
        for (var bits = fit + 1; bits <= fit + 4; bits++)
        {
            var shift = 64 - bits;
            var taken = new bool[1 << bits];
            for (var attempt = 0; attempt < 2000; attempt++)
            {
                var multiplier = SplitMix(ref state) | 1;
                Array.Clear(taken);
                if (entries.All(e => !Take(taken, Slot(e.Low, e.Middle, e.High, e.Length, multiplier, shift))))
                {
                    var slots = new Entry[1 << bits];
                    Array.Fill(slots, new Entry(-1, 0, 0, 0, -1, null));
                    foreach (var entry in entries)
                    {
                        slots[Slot(entry.Low, entry.Middle, entry.High, entry.Length, multiplier, shift)] = entry;
                    }
                    return (slots, multiplier, shift);
                }
            }
        }
        return null;

        // Whether the slot was already taken (and takes it).
        static bool Take(bool[] taken, int slot)
        {
            var was = taken[slot];
            taken[slot] = true;
            return was;
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A string's slot: its pieces and length mixed, multiplied, and the product's top bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ulong low, ulong middle, ulong high, int length, ulong multiplier, int shift) =>
        (int)(((low ^ BitOperations.RotateLeft(high, 23) ^ BitOperations.RotateLeft(middle, 41) ^ (ulong)length) * multiplier) >> shift);

    /// <summary>Strings up to this long are told apart by their length and <see cref="Pieces"/> alone.</summary>
    private const int PiecesHoldAll = 24;

    /// <summary>
    /// A string's bytes as three numbers, read in overlapping pieces (the first eight, the next eight, the last eight):
    /// with its length they hold the whole of a string of up to 24 bytes, so most strings are compared in a few
    /// comparisons and no call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Low, ulong Middle, ulong High) Pieces(ReadOnlySpan<byte> utf8) => utf8.Length switch
    {
        >= 16 => (BinaryPrimitives.ReadUInt64LittleEndian(utf8), BinaryPrimitives.ReadUInt64LittleEndian(utf8[8..]), BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..])),
        >= 8 => (BinaryPrimitives.ReadUInt64LittleEndian(utf8), 0, BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..])),
        >= 4 => (BinaryPrimitives.ReadUInt32LittleEndian(utf8) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(utf8[^4..]) << 32), 0, 0),
        > 0 => (utf8[0] | ((ulong)utf8[utf8.Length >> 1] << 8) | ((ulong)utf8[^1] << 16), 0, 0),
        _ => (0, 0, 0),
    };

    private sealed class BytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly BytesComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
