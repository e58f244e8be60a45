-- A key between two position keys, computed in the database: app.key_between(a, b) gives what
-- the fractional-indexing package's generateKeyBetween(a, b) gives (0010 describes the keys), so
-- that a move can read its neighbours and write its key in one statement, in the same round
-- trip as its checks (src/features/tasks/move-in-one-trip.ts). A null end is the open end.
-- Invalid keys raise (22023), as the package throws; a character outside the base-62 digits also
-- raises here, where the package would read it as '0' (no key it makes has one).
-- Plain functions, no SECURITY DEFINER: they read no table.
set local lock_timeout = '5s';

-- The length of an integer part, head included, from its head: 'a'..'z' 2..27, 'Z'..'A' 2..27.
-- Null for any other head. Character positions, not comparisons, so the collation plays no part.
create function app.key_integer_length(head text) returns integer
  language sql immutable strict parallel safe
  set search_path = pg_catalog
  as $$
    select case when char_length(head) <> 1 then null
                when i between 0 and 25 then 27 - i
                when i between 26 and 51 then i - 24 end
      from (select strpos('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', head) - 1 as i) h
  $$;

-- The integer part of a valid key, raising for a key the package refuses: an unknown head, too
-- short for its head, the smallest integer ('A' and 26 zeros) itself, a fraction ending in '0'.
create function app.key_integer_part(key text) returns text
  language plpgsql immutable strict parallel safe
  set search_path = pg_catalog
  as $$
declare
  length integer := app.key_integer_length(substr(key, 1, 1));
begin
  if length is null or length > char_length(key) or key = 'A' || repeat('0', 26)
     or (char_length(key) > length and right(key, 1) = '0')
     or ltrim(key, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') <> '' then
    raise exception 'invalid order key: %', key using errcode = '22023';
  end if;
  return substr(key, 1, length);
end
$$;

-- The integer after (step 1) or before (step -1) a key's integer part, carrying; null past the
-- last ('z' and 26 'z's) or the first: the package's incrementInteger and decrementInteger.
create function app.key_integer_step(integer_part text, step integer) returns text
  language plpgsql immutable strict parallel safe
  set search_path = pg_catalog
  as $$
declare
  digits constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  heads constant text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  head constant text := substr(integer_part, 1, 1);
  -- What a digit becomes when it wraps around.
  wrapped constant text := case when step > 0 then '0' else 'z' end;
  carried text := '';
  digit integer;
  next_head text;
  longer integer;
begin
  for i in reverse char_length(integer_part) .. 2 loop
    digit := strpos(digits, substr(integer_part, i, 1)) - 1 + step;
    if digit between 0 and 61 then
      return substr(integer_part, 1, i - 1) || substr(digits, digit + 1, 1) || carried;
    end if;
    carried := wrapped || carried;
  end loop;
  digit := strpos(heads, head) - 1 + step;
  if digit not between 0 and 51 then
    return null;
  end if;
  next_head := substr(heads, digit + 1, 1);
  longer := app.key_integer_length(next_head) - app.key_integer_length(head);
  return next_head || case when longer > 0 then carried || wrapped when longer < 0 then substr(carried, 2) else carried end;
end
$$;

-- A fraction strictly between fractions a and b (b null: no upper end), as short as can be:
-- the package's midpoint, its recursion turned into a loop that keeps the common prefix.
create function app.key_midpoint(a text, b text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
  as $$
declare
  digits constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  prefix text := '';
  common integer;
  digit_a integer;
  digit_b integer;
begin
  loop
    if b is not null and a collate "C" >= b collate "C" then
      raise exception '% >= %', a, b using errcode = '22023';
    end if;
    if right(a, 1) = '0' or right(b, 1) = '0' then
      raise exception 'trailing zero' using errcode = '22023';
    end if;
    if b <> '' then
      -- The digits both share (a padded with zeros), kept as they are.
      common := 0;
      while coalesce(nullif(substr(a, common + 1, 1), ''), '0') = substr(b, common + 1, 1) loop
        common := common + 1;
      end loop;
      if common > 0 then
        prefix := prefix || substr(b, 1, common);
        a := substr(a, common + 1);
        b := substr(b, common + 1);
        continue;
      end if;
    end if;
    digit_a := case when a = '' then 0 else strpos(digits, substr(a, 1, 1)) - 1 end;
    digit_b := case when b is null then 62 else strpos(digits, substr(b, 1, 1)) - 1 end;
    if digit_b - digit_a > 1 then
      -- Math.round of the mean: halves round up.
      return prefix || substr(digits, (digit_a + digit_b + 1) / 2 + 1, 1);
    end if;
    if char_length(b) > 1 then
      return prefix || substr(b, 1, 1);
    end if;
    prefix := prefix || substr(digits, digit_a + 1, 1);
    a := substr(a, 2);
    b := null;
  end loop;
end
$$;

-- generateKeyBetween(a, b): a key after a and before b, either end null (both: 'a0'); ends
-- given the wrong way round are swapped, as the package does.
create function app.key_between(a text, b text) returns text
  language plpgsql immutable parallel safe
  set search_path = pg_catalog
  as $$
declare
  smallest constant text := 'A' || repeat('0', 26);
  integer_a text := app.key_integer_part(a);
  integer_b text := app.key_integer_part(b);
  swapped text;
  stepped text;
begin
  if a collate "C" > b collate "C" then
    swapped := a; a := b; b := swapped;
    swapped := integer_a; integer_a := integer_b; integer_b := swapped;
  end if;
  if a is null and b is null then
    return 'a0';
  end if;
  if a is null then
    if integer_b = smallest then
      return integer_b || app.key_midpoint('', substr(b, char_length(integer_b) + 1));
    end if;
    if integer_b collate "C" < b collate "C" then
      return integer_b;
    end if;
    stepped := app.key_integer_step(integer_b, -1);
    if stepped is null then
      raise exception 'cannot decrement any more' using errcode = '22003';
    end if;
    return stepped;
  end if;
  stepped := app.key_integer_step(integer_a, 1);
  if b is null then
    return coalesce(stepped, integer_a || app.key_midpoint(substr(a, char_length(integer_a) + 1), null));
  end if;
  if integer_a = integer_b then
    return integer_a || app.key_midpoint(substr(a, char_length(integer_a) + 1), substr(b, char_length(integer_b) + 1));
  end if;
  if stepped is null then
    raise exception 'cannot increment any more' using errcode = '22003';
  end if;
  if stepped collate "C" < b collate "C" then
    return stepped;
  end if;
  return integer_a || app.key_midpoint(substr(a, char_length(integer_a) + 1), null);
end
$$;
