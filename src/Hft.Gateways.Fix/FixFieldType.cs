namespace Hft.Gateways.Fix;

/// <summary>
/// The FIX 4.4 data types a field's value is checked against, as the dictionary's <c>type</c> attribute names them
/// (several FIX types share one check: QTY, PRICE, AMT... are all <see cref="Float"/>).
/// </summary>
public enum FixFieldType : byte
{
    /// <summary>Not in the dictionary, or a type whose value is not checked (STRING, DATA, CURRENCY, EXCHANGE...).</summary>
    Unchecked,
    Int,
    /// <summary>A non-negative integer: SEQNUM, LENGTH, DAYOFMONTH.</summary>
    NonNegativeInt,
    NumInGroup,
    Float,
    Char,
    Boolean,
    UtcTimestamp,
    /// <summary>YYYYMMDD: UTCDATEONLY, LOCALMKTDATE.</summary>
    Date,
    UtcTimeOnly,
    MonthYear,
    MultipleValueString,
}
