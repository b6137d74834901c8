using System.Text;

namespace ExclusivityEngine.Scenarios;

/// <summary>
/// Positions of strings in a list, found from their UTF-8 bytes with one hash probe and no string made: how a plain
/// batch line's products, clouds, choices, attribute values and named ids are found, however long the catalogue or the
/// rule set's list of named ids. The first of two equal strings keeps its position.
/// </summary>
internal sealed class Utf8Index
{
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
    }

    /// <summary>The position of the string spelt <paramref name="utf8"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> utf8) => _lookup.TryGetValue(utf8, out var position) ? position : -1;

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
