namespace ExclusivityEngine.Scenarios;

/// <summary>
/// Passes a byte stream through line by line, replacing every line longer than a bound by one placeholder byte and
/// noting its line number. The CSV reader behind it then never has to buffer an overlong record (which it can only
/// refuse by giving up on the rest of the input), and the batch answers that record in place. Lines that are not UTF-8
/// are noted and replaced alike. Lines end as the CSV
/// reader counts them: CR, LF or CR LF, each once.
/// </summary>
/// <param name="inner">The input.</param>
/// <param name="maxLineBytes">The longest line passed through.</param>
/// <param name="crEndsLines">Whether a CR alone ends a line (CSV); otherwise only LF does (JSON Lines).</param>
internal sealed class LongLineFilter(Stream inner, int maxLineBytes, bool crEndsLines = true) : ReadOnlyStream
{
    /// <summary>What stands in for an overlong line or one that is not UTF-8: one cell, so the record is still there to be answered.</summary>
    private const byte Placeholder = (byte)'-';

    private readonly byte[] _input = new byte[1 << 16];
    private int _inputStart;
    private int _inputEnd;
    private bool _eof;

    private byte[] _pending = [];
    private int _pendingLength;
    private bool _dropping;
    private bool _afterCr;
    private long _lineNumber = 1;

    private byte[] _output = new byte[1 << 17];
    private int _outputStart;
    private int _outputEnd;

    /// <summary>1-based numbers of the lines that were replaced (every line counted, as the CSV reader counts them).</summary>
    public HashSet<long> Overlong { get; } = [];

    /// <summary>
    /// 1-based numbers of the lines that are not UTF-8. The CSV reader would decode their bytes to U+FFFD, a lookalike
    /// value that was never written, so the records are refused instead.
    /// </summary>
    public HashSet<long> NotUtf8 { get; } = [];

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        while (_outputEnd == _outputStart && !_eof)
        {
            Refill(inner.Read(_input, 0, _input.Length));
        }
        return Drain(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_outputEnd == _outputStart && !_eof)
        {
            Refill(await inner.ReadAsync(_input, cancellationToken).ConfigureAwait(false));
        }
        return Drain(buffer.Span);
    }

    private int Drain(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsSpan(_outputStart, n).CopyTo(buffer);
        _outputStart += n;
        return n;
    }

    private void Refill(int read)
    {
        _outputStart = _outputEnd = 0;
        _inputStart = 0;
        _inputEnd = read;
        if (read == 0)
        {
            _eof = true;
            EndLine(breakByte: null);
            return;
        }
        while (_inputStart < _inputEnd)
        {
            var rest = _input.AsSpan(_inputStart, _inputEnd - _inputStart);
            if (_afterCr)
            {
                _afterCr = false;
                if (rest[0] == (byte)'\n')
                {
                    // The LF of a CR LF: the line already ended at the CR.
                    Emit(rest[..1]);
                    _inputStart++;
                    continue;
                }
            }
            var end = crEndsLines ? rest.IndexOfAny((byte)'\r', (byte)'\n') : rest.IndexOf((byte)'\n');
            var part = end < 0 ? rest : rest[..end];
            Append(part);
            _inputStart += part.Length;
            if (end >= 0)
            {
                EndLine(rest[end]);
                _inputStart++;
            }
        }
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_dropping || part.IsEmpty)
        {
            return;
        }
        if (_pendingLength + part.Length > maxLineBytes)
        {
            _dropping = true;
            _pendingLength = 0;
            Overlong.Add(_lineNumber);
            return;
        }
        var needed = _pendingLength + part.Length;
        if (_pending.Length < needed)
        {
            var grown = new byte[Math.Min(maxLineBytes, Math.Max(needed, Math.Max(_pending.Length * 2, 4096)))];
            _pending.AsSpan(0, _pendingLength).CopyTo(grown);
            _pending = grown;
        }
        part.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += part.Length;
    }

    private void EndLine(byte? breakByte)
    {
        if (_dropping)
        {
            Emit([Placeholder]);
        }
        else
        {
            var line = _pending.AsSpan(0, _pendingLength);
            if (System.Text.Unicode.Utf8.IsValid(line))
            {
                Emit(line);
            }
            else
            {
                // Refused unread, so its bytes are not passed on either: a UTF-16 or UTF-32 byte order mark at the start
                // would make the CSV reader decode all that follows as UTF-16 or UTF-32 (found by the fuzzer).
                NotUtf8.Add(_lineNumber);
                Emit([Placeholder]);
            }
        }
        if (breakByte is { } b)
        {
            Emit([b]);
            _afterCr = b == (byte)'\r';
            _lineNumber++;
        }
        _pendingLength = 0;
        _dropping = false;
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (_output.Length - _outputEnd < bytes.Length)
        {
            Array.Resize(ref _output, Math.Max(_output.Length * 2, _outputEnd + bytes.Length));
        }
        bytes.CopyTo(_output.AsSpan(_outputEnd));
        _outputEnd += bytes.Length;
    }
}
