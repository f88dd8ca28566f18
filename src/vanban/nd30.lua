-- ND30 body conventions applied inside the pandoc run:
--   * headings numbered by level: "I." (Roman), "1." (Arabic), "a)" (Vietnamese letters);
--   * a heading with class "run-in" is merged with the paragraph that follows it
--     ("2. Title: text ..."), the numbered title in bold;
--   * bullet list items become plain "- " paragraphs ("+ " one level down), as ND30 practice.

local ROMAN = {
  {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
  {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"},
}
local LETTERS = {"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n",
                 "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"}
local DASHES = {"-", "+", "-"}

local function roman(n)
  local out = ""
  for _, pair in ipairs(ROMAN) do
    while n >= pair[1] do
      out = out .. pair[2]
      n = n - pair[1]
    end
  end
  return out
end

local function letter(n)
  local count = #LETTERS
  local out = LETTERS[(n - 1) % count + 1]
  if n > count then out = LETTERS[math.floor((n - 1) / count)] .. out end
  return out
end

local counters = {0, 0, 0}

local function label(level)
  counters[level] = counters[level] + 1
  for deeper = level + 1, #counters do counters[deeper] = 0 end
  local n = counters[level]
  if level == 1 then return roman(n) .. "." end
  if level == 2 then return tostring(n) .. "." end
  return letter(n) .. ")"
end

local function dash_paragraphs(list, depth, out)
  local mark = DASHES[math.min(depth, #DASHES)]
  for _, item in ipairs(list.content) do
    for i, block in ipairs(item) do
      if (block.t == "Para" or block.t == "Plain") and i == 1 then
        local inlines = pandoc.Inlines({pandoc.Str(mark), pandoc.Space()})
        inlines:extend(block.content)
        out:insert(pandoc.Para(inlines))
      elseif block.t == "BulletList" then
        dash_paragraphs(block, depth + 1, out)
      elseif block.t == "Plain" then
        out:insert(pandoc.Para(block.content))
      else
        out:insert(block)
      end
    end
  end
end

function Pandoc(doc)
  local out = pandoc.Blocks({})
  local blocks = doc.blocks
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    if block.t == "Header" and block.level <= 3 then
      local number = label(block.level)
      local title = pandoc.Inlines({pandoc.Str(number), pandoc.Space()})
      title:extend(block.content)
      local following = blocks[i + 1]
      if block.classes:includes("run-in") then
        local inlines = pandoc.Inlines({pandoc.Strong(title)})
        if following and (following.t == "Para" or following.t == "Plain") then
          inlines:insert(pandoc.Space())
          inlines:extend(following.content)
          i = i + 1
        end
        out:insert(pandoc.Para(inlines))
      else
        block.content = title
        out:insert(block)
      end
    elseif block.t == "BulletList" then
      dash_paragraphs(block, 1, out)
    else
      out:insert(block)
    end
    i = i + 1
  end
  doc.blocks = out
  return doc
end
