using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace ExclusivityEngine.Scenarios;

/// <summary>
/// Positions of strings in a list, found from their UTF-8 bytes with no string made: how a plain batch line's field
/// names, products, clouds, choices, attribute values and named ids are found. A short list's strings are grouped by
/// length and a string is compared with the few of its own length, which costs less than hashing its bytes (the native
/// build's profile had the hash at 3% of a batch); a list where some length has more than a few strings is found with
/// one hash probe, however long it is. The first of two equal strings keeps its position.
/// </summary>
internal sealed class Utf8Index
{
    /// <summary>Strings of one length compared one by one, at most; a list with more is hashed.</summary>
    private const int MaxSameLength = 4;

    /// <summary>
    /// By length: each string of that length, its <see cref="Pieces"/> and its position; null when the list is hashed.
    /// </summary>
    private readonly Entry[][]? _byLength;

    private readonly record struct Entry(byte[] Bytes, ulong Low, ulong High, int Position);

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
        var lengths = positions.Keys.GroupBy(b => b.Length).ToList();
        if (lengths.All(g => g.Count() <= MaxSameLength))
        {
            var longest = positions.Keys.Select(b => b.Length).DefaultIfEmpty(0).Max();
            _byLength = new Entry[longest + 1][];
            Array.Fill(_byLength, []);
            foreach (var group in lengths)
            {
                _byLength[group.Key] = [.. group.Select(b =>
                {
                    var (low, high) = Pieces(b);
                    return new Entry(b, low, high, positions[b]);
                })];
            }
        }
    }

    /// <summary>The position of the string spelt <paramref name="utf8"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> utf8)
    {
        if (_byLength is { } byLength)
        {
            if ((uint)utf8.Length < (uint)byLength.Length)
            {
                var (low, high) = Pieces(utf8);
                foreach (ref readonly var entry in byLength[utf8.Length].AsSpan())
                {
                    if (entry.Low == low && entry.High == high && (utf8.Length <= PiecesHoldAll || utf8.SequenceEqual(entry.Bytes)))
                    {
                        return entry.Position;
                    }
                }
            }
            return -1;
        }
        return _lookup.TryGetValue(utf8, out var found) ? found : -1;
    }

    /// <summary>Strings up to this long are told apart by their length and <see cref="Pieces"/> alone.</summary>
    private const int PiecesHoldAll = 16;

    /// <summary>
    /// A string's first and last bytes as two numbers, read in overlapping pieces: with its length they hold the whole
    /// of a string of up to 16 bytes, so most strings are compared in two comparisons and no call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Low, ulong High) Pieces(ReadOnlySpan<byte> utf8) => utf8.Length switch
    {
        >= 8 => (BinaryPrimitives.ReadUInt64LittleEndian(utf8), BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..])),
        >= 4 => (BinaryPrimitives.ReadUInt32LittleEndian(utf8) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(utf8[^4..]) << 32), 0),
        > 0 => (utf8[0] | ((ulong)utf8[utf8.Length >> 1] << 8) | ((ulong)utf8[^1] << 16), 0),
        _ => (0, 0),
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
