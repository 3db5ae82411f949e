// Vocabulary of the filler chat in bench/lib/dialogues.mjs: everyday topics a group of friends
// and their assistant drift between. Each topic gives noun phrases (`things`), past and base
// verb phrases (`did`, `todo`), judgements (`adj`), questions for the assistant (`asks`) and
// the assistant's advice (`tips`). The words deliberately overlap the planted questions'
// words (pets, work, cities, cars, schools, birthdays, classes, injuries, trips…), so that a
// lexical retriever meets real competition; none of them is a planted answer (the generator's
// consistency check enforces that).

const t = (s) => s.split("|").map((x) => x.trim());

export const TOPICS = [
  {
    id: "cooking",
    things: t(
      "the risotto|the cast-iron pan|the spice drawer|a huge pot of chili|the slow cooker|dinner plans for the week|the freezer|that lentil soup|the new chef's knife|the meal prep",
    ),
    did: t(
      "burned the garlic again|made a massive pot of chili|finally cleaned out the freezer|tried a new curry recipe|made stock from the leftover chicken|overcooked the pasta while on a call|meal-prepped for the whole week",
    ),
    todo: t(
      "batch-cook on Sundays|learn to make proper ramen|sharpen the knives|cook something other than pasta|clear out the spice drawer|make bread from scratch",
    ),
    adj: t(
      "way too salty|surprisingly easy|a total disaster|worth the effort|better the next day|more work than it looks",
    ),
    asks: t(
      "How long does homemade stock keep in the fridge?|Any ideas for a quick dinner with chickpeas, spinach and rice?|What can I use instead of cream in a curry?|Why does my rice always end up mushy?",
    ),
    tips: t(
      "Homemade stock keeps about four days in the fridge, or months in the freezer if you portion it first.|A chickpea and spinach stew over rice takes twenty minutes: fry onion and garlic, add spices, tomatoes, chickpeas, then wilt the spinach.|Coconut milk or a spoonful of yoghurt stirred in at the end works well in place of cream.|Rinse the rice until the water runs clear and let it rest with the lid on for ten minutes after cooking.",
    ),
  },
  {
    id: "running",
    things: t(
      "the interval session|my knee|the long run on Sunday|the new running shoes|the training plan|the hill repeats|the park run|my pace",
    ),
    did: t(
      "did hill repeats in the rain|ran twelve kilometres without stopping|skipped the long run|bought new running shoes|did the park run with a hangover|got lapped by a pensioner at the track",
    ),
    todo: t(
      "run three times a week|get faster over five kilometres|stretch properly after runs|join a running club|build up to a longer distance|stop skipping the rest days",
    ),
    adj: t("brutal|weirdly enjoyable|too ambitious|slowly getting easier|a bit much for my knee"),
    asks: t(
      "How many rest days should I take when training for a longer race?|My knee aches after long runs, should I be worried?|Is it better to run in the morning or in the evening?|How fast should my easy runs be?",
    ),
    tips: t(
      "Most plans keep at least two rest days a week; easy days matter as much as the hard ones.|Knee pain that gets worse during a run is worth showing to a physio; a dull ache after is often just load.|The best time to run is the one you will stick to; mornings help if evenings get eaten by work.|Run easy runs slowly enough that you could hold a conversation; most people run them too fast.",
    ),
  },
  {
    id: "garden",
    things: t(
      "the tomatoes|the new raised bed|the compost heap|the apple tree|the slugs|the lawn|the herb pots|the greenhouse",
    ),
    did: t(
      "planted out the courgettes|finally turned the compost|lost half the lettuce to slugs|pruned the apple tree|built a raised bed out of old pallets|picked the first tomatoes of the year",
    ),
    todo: t(
      "grow more vegetables|fix the greenhouse door|stop the slugs eating everything|plant bulbs before the frost|start a proper compost heap|mow the lawn less often",
    ),
    adj: t(
      "completely overgrown|thriving for once|a slug buffet|finally looking tidy|a lot of work for six tomatoes",
    ),
    asks: t(
      "What can I plant in a shady corner of the garden?|How do I keep slugs off the lettuce without poison?|When should I prune an apple tree?|Why are my tomato leaves turning yellow?",
    ),
    tips: t(
      "Ferns, hostas and foxgloves cope well with shade; add compost because shady soil is often dry.|Copper tape, beer traps and watering in the morning instead of the evening all cut slug damage.|Apple trees are usually pruned in late winter while they are dormant; remove crossing branches first.|Yellow lower leaves on tomatoes usually mean uneven watering or a lack of nitrogen; feed weekly once fruit sets.",
    ),
  },
  {
    id: "work",
    things: t(
      "the quarterly report|the budget meeting|my manager|the new project|the office move|the performance review|the team offsite|the deadline on Friday|the job market",
    ),
    did: t(
      "sat through three hours of meetings|finished the quarterly report at midnight|presented to the whole department|got roped into organising the offsite|had my performance review|worked late every night this week",
    ),
    todo: t(
      "ask for a raise|say no to more projects|find a job with less travel|leave work on time for once|update my CV|block out focus time in my calendar",
    ),
    adj: t("exhausting|mostly fine|a complete mess|surprisingly positive|more politics than work"),
    asks: t(
      "How do I politely decline an extra project at work?|Can you help me structure a short update for my manager?|Any tips for a performance review next week?|How do I ask for a raise without sounding demanding?",
    ),
    tips: t(
      "Say what you are working on now and ask which one should drop if the new project is more important; that keeps it about priorities.|Lead with the outcome, then the two or three things that changed, then what you need from them.|Bring three concrete results with numbers, and one thing you want to grow into next year.|Anchor the request in what you have delivered and what the role pays elsewhere, then ask directly and stop talking.",
    ),
  },
  {
    id: "tech",
    things: t(
      "my laptop|the new phone|the printer|the home router|the smart speaker|my password manager|the cloud backup|the phone screen",
    ),
    did: t(
      "cracked my phone screen|spent an evening fighting the printer|finally set up a password manager|restored my laptop from a backup|bought a refurbished laptop|lost a whole afternoon to software updates",
    ),
    todo: t(
      "back up the family photos|replace the ancient laptop|sort out the home network|turn on two-factor everywhere|spend less time on the phone",
    ),
    adj: t(
      "painfully slow|a small miracle|held together by tape|more trouble than it is worth|fine once it works",
    ),
    asks: t(
      "What's a simple way to back up family photos?|My laptop is really slow, what should I check first?|Is it worth buying a refurbished phone?|How do I stop my phone battery draining so fast?",
    ),
    tips: t(
      "Keep three copies of photos: the originals, one on an external drive and one in a cloud service.|Check free disk space and what starts at login first; those two fix most slow laptops.|Refurbished phones from a reputable seller with a warranty are usually good value.|Screen brightness, location services and background refresh are the usual battery drains; check the battery settings page.",
    ),
  },
  {
    id: "tv",
    things: t(
      "that new detective series|the season finale|the documentary about octopuses|the film on Saturday|the cooking competition|our streaming subscriptions|the cinema down the road",
    ),
    did: t(
      "binged the whole detective series|fell asleep halfway through the film|watched the finale twice|cancelled two streaming subscriptions|went to the cinema on my own|rewatched an old comedy",
    ),
    todo: t(
      "watch something that isn't a crime drama|cancel a streaming service|go to the cinema more|finish that series everyone talks about|watch fewer episodes on work nights",
    ),
    adj: t("completely addictive|overrated|weirdly moving|far too long|better than the book"),
    asks: t(
      "Can you suggest a light comedy series for a tired evening?|What's a good film for a family night with a nine-year-old?|Any documentaries like that octopus one?",
    ),
    tips: t(
      "Short half-hour comedies are ideal for tired evenings: low commitment and easy to stop after one.|Animated adventures with jokes on two levels work well when kids and adults watch together.|Nature documentaries about a single animal's life tend to have that same quiet, personal feel.",
    ),
  },
  {
    id: "music",
    things: t(
      "the concert on Friday|the festival tickets|that new album|the choir rehearsal|the vinyl collection|the playlist for the party|the guitar in the cupboard",
    ),
    did: t(
      "went to a gig on a school night|queued two hours for festival tickets|made a playlist for the party|finally dusted off the old guitar|sang at the choir concert|bought far too many records",
    ),
    todo: t(
      "go to more gigs|learn a few songs on the piano|sort out the record collection|join a choir|find new music that isn't from 2009",
    ),
    adj: t("incredibly loud|worth every penny|a bit disappointing|stuck in my head all week|magic"),
    asks: t(
      "Can you suggest some upbeat music for a dinner party?|How do I get better at singing in tune?|What's a good first album to get into jazz?",
    ),
    tips: t(
      "Soul, funk and bossa nova keep a dinner party lively without drowning the conversation.|Sing along with a recording while checking notes on a tuner app; short daily practice helps more than long sessions.|Many people start jazz with a classic, melodic quintet record before moving to wilder stuff.",
    ),
  },
  {
    id: "books",
    things: t(
      "the book club pick|that thriller|the library holds|my reading list|the audiobook|the second-hand bookshop|the last chapter",
    ),
    did: t(
      "finished the thriller in one sitting|abandoned the book club pick|joined the library again|listened to an audiobook on the commute|bought five books I don't need|stayed up until two reading",
    ),
    todo: t(
      "read more fiction|finish the book club pick on time|go to the library more often|read before bed instead of scrolling|try an audiobook for the commute",
    ),
    adj: t("a slog|unputdownable|beautifully written|far too long|disappointing at the end"),
    asks: t(
      "Can you recommend a short novel for a long train ride?|How do I get back into reading after a long break?|What should the book club read next?",
    ),
    tips: t(
      "A novella or a tight thriller under three hundred pages suits a long journey well.|Start with something short and fun, and read ten pages a day; momentum matters more than ambition.|A book club picks best from a shortlist of three, with at least one that is short.",
    ),
  },
  {
    id: "travel",
    things: t(
      "the summer holiday|the train tickets|the long weekend|the trip planning|the hotel booking|the hand luggage|the airport queue|the road trip",
    ),
    did: t(
      "booked train tickets for the long weekend|spent an hour at the airport security queue|found a cheap hotel by the sea|packed everything into hand luggage|missed a connection by two minutes|planned a road trip along the coast",
    ),
    todo: t(
      "take a proper holiday this year|travel by train more|plan a long weekend somewhere warm|pack lighter for once|see more of the country",
    ),
    adj: t("completely chaotic|worth it|far too expensive|lovely and quiet|exhausting but fun"),
    asks: t(
      "What should go in a checklist for a short trip abroad?|How early should I book train tickets for a holiday weekend?|Any tips for travelling with hand luggage only?",
    ),
    tips: t(
      "Passport, chargers, insurance details, a copy of bookings and any medication cover most trips.|Book train tickets as soon as they are released; prices for holiday weekends climb quickly.|Roll clothes, wear the bulkiest shoes, and plan outfits around two colours so everything matches.",
    ),
  },
  {
    id: "weather",
    things: t(
      "the heatwave|the storm last night|the rain|the first frost|the forecast for the weekend|the fog this morning|the wind",
    ),
    did: t(
      "got soaked cycling home|lost the garden chairs to the storm|slept with every window open|scraped ice off the windscreen|cancelled the barbecue because of the rain",
    ),
    todo: t(
      "buy a proper raincoat|get the heating checked before winter|plan something outdoors before the weather turns|fix the leaking gutter",
    ),
    adj: t("absolutely miserable|glorious|unbearable|weirdly warm for the season|grey and endless"),
    asks: t(
      "How do I keep the flat cool during a heatwave without air conditioning?|What's the best way to stop condensation on the windows?",
    ),
    tips: t(
      "Keep curtains closed on the sunny side during the day and open windows on both sides at night for a cross-draught.|Ventilate for ten minutes after showers and cooking, and keep furniture a little away from cold outside walls.",
    ),
  },
  {
    id: "family",
    things: t(
      "the school run|the kids' homework|the family dinner on Sunday|the parents' evening|my parents' visit|the birthday party planning|bedtime|the holiday club",
    ),
    did: t(
      "survived a sleepover with six eight-year-olds|went to parents' evening|sorted out the holiday club|had the whole family over for Sunday lunch|helped with maths homework I didn't understand|drove my parents to the airport",
    ),
    todo: t(
      "get the kids to bed before nine|plan the summer childcare|visit my parents more often|organise a birthday party that isn't chaos|cut down on screen time at home",
    ),
    adj: t(
      "pure chaos|sweeter than expected|a military operation|exhausting|the highlight of my week",
    ),
    asks: t(
      "How do I get a seven-year-old to go to bed without a fight?|Any ideas for a rainy-day activity with kids at home?|What's a good routine for homework after school?",
    ),
    tips: t(
      "A fixed bedtime routine with the same three steps every night, and screens off an hour before, helps most kids settle.|A blanket fort, a treasure hunt with clues, or baking something simple keeps kids busy on a rainy day.|A snack first, then homework at the same time and place each day, with a short break halfway, works for many families.",
    ),
  },
  {
    id: "pets",
    things: t(
      "the vet bill|the dog walker|the cat flap|the hamster cage|the pet insurance|the neighbour's dog|the fish tank|the flea treatment",
    ),
    did: t(
      "paid an eye-watering vet bill|looked after the neighbour's dog for the weekend|cleaned out the fish tank|chased a hamster under the sofa|compared pet insurance quotes for an hour",
    ),
    todo: t(
      "find a reliable dog walker|get pet insurance sorted|train the neighbour's dog to stop barking|fix the cat flap|decide whether we can handle a pet",
    ),
    adj: t("ridiculously expensive|adorable|a full-time job|chaotic|completely worth it"),
    asks: t(
      "Is pet insurance actually worth it?|How much exercise does a medium-sized dog need a day?|What should I know before getting a pet?",
    ),
    tips: t(
      "Pet insurance pays off mostly for big, unexpected vet bills; compare lifetime cover rather than the cheapest yearly plan.|Most medium dogs need at least an hour of walking a day, plus some play and training to tire their brains.|Think about the daily time, holidays, vet costs and whether your home suits the animal before getting a pet.",
    ),
  },
  {
    id: "health",
    things: t(
      "my sleep|the doctor's appointment|my back|the physio exercises|the new standing desk|my step count|the headaches|the flu jab",
    ),
    did: t(
      "slept nine hours for the first time in months|finally booked a doctor's appointment|did the physio exercises every day|got the flu jab|pulled something in my back lifting a box|went a whole week without coffee",
    ),
    todo: t(
      "sleep before midnight|drink more water|stretch every morning|see a physio about my back|take proper lunch breaks",
    ),
    adj: t("much better|still not great|annoyingly slow|a real improvement|hard to keep up"),
    asks: t(
      "Any tips for falling asleep when my brain won't switch off?|How often should I take breaks from sitting at a desk?|What helps with tension headaches?",
    ),
    tips: t(
      "Write tomorrow's to-do list before bed, keep the room cool, and get up for a while if you're awake after twenty minutes.|Standing up and moving for a few minutes every half hour is a good rule for desk days.|Regular meals, water, screen breaks and gentle neck stretches help with tension headaches; see a doctor if they change.",
    ),
  },
  {
    id: "money",
    things: t(
      "the energy bill|the monthly budget|the savings account|the rent increase|the tax return|the subscriptions|the mortgage",
    ),
    did: t(
      "finally did the tax return|cancelled three subscriptions|opened a savings account|got a shock from the energy bill|made a budget spreadsheet|argued with the bank for an hour",
    ),
    todo: t(
      "save a bit every month|spend less on takeaways|switch energy supplier|sort out a pension|track where the money goes",
    ),
    adj: t(
      "terrifying|more manageable than I thought|a complete mystery|getting better|depressing",
    ),
    asks: t(
      "What's a simple way to start a monthly budget?|How much should I keep as an emergency fund?|Any tips for cutting the energy bill?",
    ),
    tips: t(
      "List fixed costs first, then give every remaining amount a job; a simple spreadsheet or app is enough.|A common guideline is three to six months of essential spending in an easy-access account.|Lower the thermostat a degree, seal draughts, and wash at thirty degrees; those add up over a year.",
    ),
  },
  {
    id: "commute",
    things: t(
      "the commute|the train strike|the bus this morning|the traffic on the ring road|the parking permit|the car service|the cycle lane|the petrol prices",
    ),
    did: t(
      "sat in traffic for an hour|cycled to work for the first time|missed the last train home|got a parking ticket|took the car in for a service|walked home because the buses were cancelled",
    ),
    todo: t(
      "cycle to work more|get the car serviced|find a cheaper parking spot|work from home on strike days|stop driving to the shops",
    ),
    adj: t("a nightmare|quicker than driving|unpredictable|fine most days|soul-destroying"),
    asks: t(
      "Is it worth switching to cycling for a ten-kilometre commute?|What should I check on a car before a long drive?|How do I make a long commute less miserable?",
    ),
    tips: t(
      "Ten kilometres is a comfortable cycling commute for many people after a few weeks, especially with a shower at work.|Check tyres, oil, coolant, lights and wipers before a long drive, and plan breaks every two hours.|Podcasts, audiobooks or language lessons can turn commute time into something you look forward to.",
    ),
  },
  {
    id: "games",
    things: t(
      "the board game night|the pub quiz|the crossword|that new video game|the chess app|the card game|the puzzle on the dining table",
    ),
    did: t(
      "won the pub quiz by one point|lost a whole evening to the new video game|finished a thousand-piece puzzle|hosted a board game night|got destroyed at chess by a twelve-year-old online",
    ),
    todo: t(
      "host another game night|get better at chess|do the crossword every day|find a game for the whole family|stop playing games on the phone at midnight",
    ),
    adj: t(
      "intensely competitive|great fun|far too long|completely addictive|harder than it looks",
    ),
    asks: t(
      "Can you suggest a board game for six people that isn't too long?|How do I get better at the cryptic crossword?|Any good two-player card games?",
    ),
    tips: t(
      "Party games with quick rounds and simple rules work well for six players and finish within an hour.|Learn the common crossword tricks one at a time: anagrams, hidden words and double definitions.|Many classic two-player card games take five minutes to learn and stay interesting for years.",
    ),
  },
  {
    id: "outdoors",
    things: t(
      "the hike on Sunday|the camping trip|the walking boots|the trail up the hill|the picnic|the map app|the tent",
    ),
    did: t(
      "got lost on a walk with a map in my hand|went wild swimming in a freezing lake|camped in the rain|walked fifteen miles and regretted it|found a brilliant pub at the end of a trail",
    ),
    todo: t(
      "go camping before the summer ends|buy proper walking boots|climb a real mountain|get out of the city every weekend|try wild swimming",
    ),
    adj: t("muddy but worth it|stunning|a bit ambitious|freezing|exactly what I needed"),
    asks: t(
      "What should I pack for a day hike?|How do I keep warm camping in spring?|Any tips for a first wild swim?",
    ),
    tips: t(
      "Water, snacks, a waterproof, a warm layer, a charged phone and a paper map cover most day hikes.|A good sleeping mat matters as much as the sleeping bag; sleep in dry clothes and a hat.|Go with someone, get in slowly, stay close to the shore and get warm quickly afterwards.",
    ),
  },
  {
    id: "home",
    things: t(
      "the leaking tap|the landlord|the boiler|the flat viewing|the new sofa|the spare room|the damp in the bathroom|the neighbours upstairs",
    ),
    did: t(
      "fixed the leaking tap with a video tutorial|waited all day for the boiler engineer|assembled a wardrobe with one screw left over|cleared out the spare room|complained to the landlord about the damp",
    ),
    todo: t(
      "declutter the spare room|fix the wobbly shelves|get the damp sorted|buy a decent sofa|put up the pictures that have been on the floor for a year",
    ),
    adj: t(
      "falling apart|finally sorted|a constant battle|cosier than before|still a work in progress",
    ),
    asks: t(
      "How do I get rid of mould in the bathroom?|What's the easiest way to fix a dripping tap?|Any tips for decluttering a room that's full of junk?",
    ),
    tips: t(
      "Clean mould with a proper mould spray, ventilate after every shower and run an extractor if there is one.|A dripping tap usually needs a new washer or cartridge; turn off the water supply under the sink first.|Work one shelf or box at a time with three piles, keep, donate and bin, and take the donations out the same day.",
    ),
  },
  {
    id: "shopping",
    things: t(
      "the winter coat|the online order|the sale|the supermarket delivery|the returns pile|the new trainers|the charity shop find",
    ),
    did: t(
      "returned three online orders|found a great coat in a charity shop|spent too much in the sale|waited all day for a delivery that never came|bought trainers I can't walk in",
    ),
    todo: t(
      "buy fewer clothes|return the things in the hallway|find a decent winter coat|shop at the market more|stop ordering things at midnight",
    ),
    adj: t(
      "a bargain|a waste of money|better than expected|completely impractical|surprisingly comfy",
    ),
    asks: t("How do I stop impulse buying online?|What should I look for in a warm winter coat?"),
    tips: t(
      "Leave things in the basket for forty-eight hours before buying; most impulses fade.|Look for a coat that covers your hips, has a good hood and a filling warm enough for the coldest weeks.",
    ),
  },
  {
    id: "parties",
    things: t(
      "the birthday party|the barbecue|the wedding invitation|the office party|the housewarming|the present for the secret swap|the dinner party",
    ),
    did: t(
      "hosted a barbecue for twenty people|went to a housewarming with no idea who anyone was|wrapped every present at midnight|baked a birthday cake that collapsed|gave a speech at a friend's party",
    ),
    todo: t(
      "throw a proper birthday party|find a present for the secret swap|plan the dinner party menu|RSVP to the wedding|host something small before the summer ends",
    ),
    adj: t(
      "a huge success|a bit awkward|so much fun|exhausting to organise|chaotic in the best way",
    ),
    asks: t(
      "Can you suggest a birthday present for someone who has everything?|How much food should I make for a party of fifteen?|Any ideas for a dinner party menu that can be made ahead?",
    ),
    tips: t(
      "Experiences make good presents for people who have everything: a class, a tasting or tickets to something.|For fifteen people, plan three or four dishes and about a plate and a half of food each.|A braise, a big salad and a cold dessert can all be made ahead, leaving you free to enjoy the party.",
    ),
  },
  {
    id: "learning",
    things: t(
      "the language app|the evening class timetable|the online course|my Spanish|the practice streak|the exam next month",
    ),
    did: t(
      "kept a two-hundred-day streak on the language app|finished an online course at last|failed the practice exam|went to a conversation meetup|signed up for an online coding course",
    ),
    todo: t(
      "learn a language properly|finish the online course|take an evening class at the college|practise a little every day|stop collecting courses I never finish",
    ),
    adj: t("harder than it looks|a good routine|really satisfying|slow going|humbling"),
    asks: t(
      "What's the best way to keep up a language without classes?|How do I stay motivated with an online course?",
    ),
    tips: t(
      "Short daily practice, a weekly conversation with a real person and films with subtitles keep a language alive.|Set a fixed weekly slot, share your progress with someone, and aim to finish one module at a time.",
    ),
  },
];

/** Short human reactions: realistic chat, and competition for nothing in particular. */
export const REACTIONS = t(
  "Ha, classic.|Oh no!|Nice one.|Same here, to be fair.|That sounds exhausting.|Send photos!|Wait, seriously?|Respect.|Fair enough.|Love that.|Oof.|Good call.|Brave.|I'd have done the same.|That's so annoying.|Ha! Of course.|Sounds lovely.|Go you!|Ugh, sorry.|No way.|Honestly, same.|Told you so.|Haha, amazing.|Yikes.|Oh, that's good news.|Makes sense.|Wow.|Noted!|Tell me about it.|Can't argue with that.",
);

export const WHEN_PAST = t(
  "yesterday|last night|this morning|over the weekend|on Sunday|earlier today|on Friday|after work|at lunch|a couple of days ago",
);
export const WHEN_NEXT = t(
  "this weekend|next week|before the holidays|at some point|tomorrow|next month|after the deadline|once things calm down",
);
export const LEADS = t("So|Update:|Okay, so|Guess what,|Ugh,|Small win:|Random, but");
export const SHIFTS = t(
  "Anyway, |Totally unrelated, but |Oh, before I forget: |Changing the subject, |On another note, |Meanwhile, ",
);
export const ACKS = t(
  "Good question.|Sure!|Happy to help.|Of course.|Great question.|Here's a thought:|",
);
export const FEELS = t(
  "a lot|fun|frustrating|like real progress|like a good week|tiring|like a nice change",
);
export const OPENERS = t(
  "Morning, everyone!|Hey hey. Long week.|Is everyone alive?|Hi all, quick one before work.|Evening! Finally sat down.|Happy Friday!|Hello from the sofa.|Right, I have ten minutes, go.|Morning! Coffee in hand.|Hi! Sorry I went quiet.",
);
export const GREET_BACKS = t(
  "Morning!|Hey!|Hello hello.|Hi! Welcome back.|Alive, just about.|Hey, how's it going?",
);
export const CLOSERS = t(
  "Right, I need to sleep. Night all.|Gotta run, talk later!|Thanks for the help, everyone.|Off to make dinner, speak soon.|Okay, back to work. Bye!|Night night!|Right, school run. Later!",
);
export const ASSISTANT_CLOSERS = t(
  "Anytime. Have a good evening!|Good luck with everything; talk soon.|Glad to help. Enjoy the rest of your day!|Speak soon, and good luck with the week.",
);
export const ASSISTANT_GREETS = t(
  "Good to see you all. What's on today?|Hello! How can I help today?|Welcome back! Anything I can help with?",
);
/** Replies to "did you ever {todo}?", "how's {thing} going?" and "weren't you going to {todo}?". */
export const REPLIES = {
  ever: t(
    "Yes, finally! Took all evening.|I did, {when}. It was {adj}.|Not yet, maybe {next}.|Nope. It's on the list for {next}.|Not even close, to be honest.",
  ),
  how: t(
    "Honestly? {Adj}.|Slowly. I {did} {when}, which didn't help.|Better than expected, actually.|Don't ask. Well, okay: {adj}.",
  ),
  going: t(
    "I was! {Next}, hopefully.|Don't remind me.|Yes, and I will. Eventually.|Ha, no. Maybe {next}.",
  ),
};
export const GENERIC_TIPS = t(
  "The trick is to make it small and regular: block out twenty minutes {next} and see how it feels.|Start by writing down what usually gets in the way, then plan around that one thing.|Pair it with something you already do every week; habits stick better when they ride on old ones.|Pick one concrete first step and put it in the calendar; the rest gets easier once you have started.",
);
/** What an assistant adds after advice: an offer or a question back. */
export const FOLLOW_UPS = t(
  "Want me to turn that into a short checklist you can keep on your phone?|If you tell me a bit more about what you've tried so far, I can be more specific.|How often do you get round to it at the moment? That changes what I'd suggest.|I can set a reminder for {next} if that would help you get started.|Happy to go through it step by step whenever you have ten minutes.|Let me know how it goes; if it doesn't work, there are a couple of other approaches worth trying.",
);
export const RELATIVES = t("sister|brother|cousin|aunt|uncle|neighbour|flatmate|colleague");
