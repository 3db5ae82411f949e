/**
 * The FTS5 tokenizer of the word indexes: Porter stems, diacritics folded, and combining
 * marks counted as word characters (`categories`). unicode61's default splits words at
 * their marks, so Hindi "हिन्दी" was three one-letter tokens and Thai "ข้าว" two, and a
 * search for either matched any text with the same letters in a row. Written as it goes
 * between single quotes in SQL.
 */
export const WORD_TOKENIZER = "porter unicode61 remove_diacritics 2 categories ''L* N* Co M*''";
