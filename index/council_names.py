"""The UK's local authorities (2025), as data: one council a line, tab-separated.

name, nation, type, and other names people use for it ("|"-separated). Types: county,
unitary, metropolitan, london, district (England); welsh, scottish, ni. Children's services
authorities in England are the county, unitary, metropolitan and London councils (and
the Isles of Scilly); districts are here because their names turn up in documents and
questions too. Compiled from the councils' own names as of 2025 (after the 2023
reorganisations in Cumbria, North Yorkshire and Somerset). index/councils.py reads it.
"""

COUNCILS = """
Cambridgeshire County Council	England	county
Derbyshire County Council	England	county
Devon County Council	England	county
East Sussex County Council	England	county
Essex County Council	England	county
Gloucestershire County Council	England	county
Hampshire County Council	England	county
Hertfordshire County Council	England	county
Kent County Council	England	county
Lancashire County Council	England	county
Leicestershire County Council	England	county
Lincolnshire County Council	England	county
Norfolk County Council	England	county
Nottinghamshire County Council	England	county
Oxfordshire County Council	England	county
Staffordshire County Council	England	county
Suffolk County Council	England	county
Surrey County Council	England	county
Warwickshire County Council	England	county
West Sussex County Council	England	county
Worcestershire County Council	England	county
Bath and North East Somerset Council	England	unitary	BANES|B&NES|Bath and NE Somerset
Bedford Borough Council	England	unitary
Blackburn with Darwen Borough Council	England	unitary	Blackburn
Blackpool Council	England	unitary
Bournemouth, Christchurch and Poole Council	England	unitary	BCP|BCP Council
Bracknell Forest Council	England	unitary
Brighton and Hove City Council	England	unitary	Brighton & Hove|Brighton
Bristol City Council	England	unitary	City of Bristol
Buckinghamshire Council	England	unitary
Central Bedfordshire Council	England	unitary
Cheshire East Council	England	unitary
Cheshire West and Chester Council	England	unitary
Cornwall Council	England	unitary
Council of the Isles of Scilly	England	unitary
Cumberland Council	England	unitary
Darlington Borough Council	England	unitary
Derby City Council	England	unitary
Dorset Council	England	unitary
Durham County Council	England	unitary	County Durham
East Riding of Yorkshire Council	England	unitary	East Riding
Halton Borough Council	England	unitary
Hartlepool Borough Council	England	unitary
Herefordshire Council	England	unitary	County of Herefordshire
Hull City Council	England	unitary	Kingston upon Hull|Kingston upon Hull City Council
Isle of Wight Council	England	unitary
Leicester City Council	England	unitary
Luton Borough Council	England	unitary
Medway Council	England	unitary
Middlesbrough Council	England	unitary
Milton Keynes City Council	England	unitary
North East Lincolnshire Council	England	unitary
North Lincolnshire Council	England	unitary
North Northamptonshire Council	England	unitary
North Somerset Council	England	unitary
North Yorkshire Council	England	unitary
Northumberland County Council	England	unitary
Nottingham City Council	England	unitary
Peterborough City Council	England	unitary
Plymouth City Council	England	unitary
Portsmouth City Council	England	unitary
Reading Borough Council	England	unitary
Redcar and Cleveland Borough Council	England	unitary	Redcar & Cleveland
Rutland County Council	England	unitary
Shropshire Council	England	unitary
Slough Borough Council	England	unitary
Somerset Council	England	unitary
South Gloucestershire Council	England	unitary
Southampton City Council	England	unitary
Southend-on-Sea City Council	England	unitary	Southend
Stockton-on-Tees Borough Council	England	unitary	Stockton
Stoke-on-Trent City Council	England	unitary	Stoke
Swindon Borough Council	England	unitary
Telford and Wrekin Council	England	unitary	Telford & Wrekin|Telford
Thurrock Council	England	unitary
Torbay Council	England	unitary
Warrington Borough Council	England	unitary
West Berkshire Council	England	unitary
West Northamptonshire Council	England	unitary
Westmorland and Furness Council	England	unitary
Wiltshire Council	England	unitary
Royal Borough of Windsor and Maidenhead	England	unitary	Windsor and Maidenhead|Windsor & Maidenhead
Wokingham Borough Council	England	unitary
City of York Council	England	unitary	York
Bolton Council	England	metropolitan
Bury Council	England	metropolitan
Manchester City Council	England	metropolitan
Oldham Council	England	metropolitan
Rochdale Borough Council	England	metropolitan
Salford City Council	England	metropolitan
Stockport Council	England	metropolitan
Tameside Council	England	metropolitan
Trafford Council	England	metropolitan
Wigan Council	England	metropolitan
Knowsley Council	England	metropolitan
Liverpool City Council	England	metropolitan
Sefton Council	England	metropolitan
St Helens Borough Council	England	metropolitan
Wirral Council	England	metropolitan
Barnsley Council	England	metropolitan
City of Doncaster Council	England	metropolitan
Rotherham Council	England	metropolitan
Sheffield City Council	England	metropolitan
Gateshead Council	England	metropolitan
Newcastle City Council	England	metropolitan	Newcastle upon Tyne|Newcastle upon Tyne City Council
North Tyneside Council	England	metropolitan
South Tyneside Council	England	metropolitan
Sunderland City Council	England	metropolitan
Birmingham City Council	England	metropolitan
Coventry City Council	England	metropolitan
Dudley Council	England	metropolitan
Sandwell Council	England	metropolitan
Solihull Council	England	metropolitan
Walsall Council	England	metropolitan
City of Wolverhampton Council	England	metropolitan	Wolverhampton City Council
Bradford Council	England	metropolitan	City of Bradford Metropolitan District Council
Calderdale Council	England	metropolitan
Kirklees Council	England	metropolitan
Leeds City Council	England	metropolitan
Wakefield Council	England	metropolitan	City of Wakefield
London Borough of Barking and Dagenham	England	london	Barking & Dagenham
London Borough of Barnet	England	london
London Borough of Bexley	England	london
London Borough of Brent	England	london
London Borough of Bromley	England	london
London Borough of Camden	England	london
London Borough of Croydon	England	london
London Borough of Ealing	England	london
London Borough of Enfield	England	london
Royal Borough of Greenwich	England	london
London Borough of Hackney	England	london
London Borough of Hammersmith and Fulham	England	london	Hammersmith & Fulham
London Borough of Haringey	England	london
London Borough of Harrow	England	london
London Borough of Havering	England	london
London Borough of Hillingdon	England	london
London Borough of Hounslow	England	london
London Borough of Islington	England	london
Royal Borough of Kensington and Chelsea	England	london	Kensington & Chelsea
Royal Borough of Kingston upon Thames	England	london
London Borough of Lambeth	England	london
London Borough of Lewisham	England	london
London Borough of Merton	England	london
London Borough of Newham	England	london
London Borough of Redbridge	England	london
London Borough of Richmond upon Thames	England	london
London Borough of Southwark	England	london
London Borough of Sutton	England	london
London Borough of Tower Hamlets	England	london
London Borough of Waltham Forest	England	london
London Borough of Wandsworth	England	london
Westminster City Council	England	london	City of Westminster
City of London Corporation	England	london	City of London
Cambridge City Council	England	district
East Cambridgeshire District Council	England	district
Fenland District Council	England	district
Huntingdonshire District Council	England	district
South Cambridgeshire District Council	England	district
Amber Valley Borough Council	England	district
Bolsover District Council	England	district
Chesterfield Borough Council	England	district
Derbyshire Dales District Council	England	district
Erewash Borough Council	England	district
High Peak Borough Council	England	district
North East Derbyshire District Council	England	district
South Derbyshire District Council	England	district
East Devon District Council	England	district
Exeter City Council	England	district
Mid Devon District Council	England	district
North Devon Council	England	district
South Hams District Council	England	district
Teignbridge District Council	England	district
Torridge District Council	England	district
West Devon Borough Council	England	district
Eastbourne Borough Council	England	district
Hastings Borough Council	England	district
Lewes District Council	England	district
Rother District Council	England	district
Wealden District Council	England	district
Basildon Council	England	district
Braintree District Council	England	district
Brentwood Borough Council	England	district
Castle Point Borough Council	England	district
Chelmsford City Council	England	district
Colchester City Council	England	district
Epping Forest District Council	England	district
Harlow Council	England	district
Maldon District Council	England	district
Rochford District Council	England	district
Tendring District Council	England	district
Uttlesford District Council	England	district
Cheltenham Borough Council	England	district
Cotswold District Council	England	district
Forest of Dean District Council	England	district
Gloucester City Council	England	district
Stroud District Council	England	district
Tewkesbury Borough Council	England	district
Basingstoke and Deane Borough Council	England	district
East Hampshire District Council	England	district
Eastleigh Borough Council	England	district
Fareham Borough Council	England	district
Gosport Borough Council	England	district
Hart District Council	England	district
Havant Borough Council	England	district
New Forest District Council	England	district
Rushmoor Borough Council	England	district
Test Valley Borough Council	England	district
Winchester City Council	England	district
Broxbourne Borough Council	England	district
Dacorum Borough Council	England	district
East Hertfordshire District Council	England	district
Hertsmere Borough Council	England	district
North Hertfordshire District Council	England	district
St Albans City and District Council	England	district
Stevenage Borough Council	England	district
Three Rivers District Council	England	district
Watford Borough Council	England	district
Welwyn Hatfield Borough Council	England	district
Ashford Borough Council	England	district
Canterbury City Council	England	district
Dartford Borough Council	England	district
Dover District Council	England	district
Folkestone and Hythe District Council	England	district
Gravesham Borough Council	England	district
Maidstone Borough Council	England	district
Sevenoaks District Council	England	district
Swale Borough Council	England	district
Thanet District Council	England	district
Tonbridge and Malling Borough Council	England	district
Tunbridge Wells Borough Council	England	district
Burnley Borough Council	England	district
Chorley Council	England	district
Fylde Council	England	district
Hyndburn Borough Council	England	district
Lancaster City Council	England	district
Pendle Borough Council	England	district
Preston City Council	England	district
Ribble Valley Borough Council	England	district
Rossendale Borough Council	England	district
South Ribble Borough Council	England	district
West Lancashire Borough Council	England	district
Wyre Council	England	district
Blaby District Council	England	district
Charnwood Borough Council	England	district
Harborough District Council	England	district
Hinckley and Bosworth Borough Council	England	district
Melton Borough Council	England	district
North West Leicestershire District Council	England	district
Oadby and Wigston Borough Council	England	district
Boston Borough Council	England	district
East Lindsey District Council	England	district
City of Lincoln Council	England	district
North Kesteven District Council	England	district
South Holland District Council	England	district
South Kesteven District Council	England	district
West Lindsey District Council	England	district
Breckland Council	England	district
Broadland District Council	England	district
Great Yarmouth Borough Council	England	district
Borough Council of King's Lynn and West Norfolk	England	district	King's Lynn and West Norfolk
North Norfolk District Council	England	district
Norwich City Council	England	district
South Norfolk Council	England	district
Ashfield District Council	England	district
Bassetlaw District Council	England	district
Broxtowe Borough Council	England	district
Gedling Borough Council	England	district
Mansfield District Council	England	district
Newark and Sherwood District Council	England	district
Rushcliffe Borough Council	England	district
Cherwell District Council	England	district
Oxford City Council	England	district
South Oxfordshire District Council	England	district
Vale of White Horse District Council	England	district
West Oxfordshire District Council	England	district
Cannock Chase District Council	England	district
East Staffordshire Borough Council	England	district
Lichfield District Council	England	district
Newcastle-under-Lyme Borough Council	England	district
South Staffordshire Council	England	district
Stafford Borough Council	England	district
Staffordshire Moorlands District Council	England	district
Tamworth Borough Council	England	district
Babergh District Council	England	district
East Suffolk Council	England	district
Ipswich Borough Council	England	district
Mid Suffolk District Council	England	district
West Suffolk Council	England	district
Elmbridge Borough Council	England	district
Epsom and Ewell Borough Council	England	district
Guildford Borough Council	England	district
Mole Valley District Council	England	district
Reigate and Banstead Borough Council	England	district
Runnymede Borough Council	England	district
Spelthorne Borough Council	England	district
Surrey Heath Borough Council	England	district
Tandridge District Council	England	district
Waverley Borough Council	England	district
Woking Borough Council	England	district
North Warwickshire Borough Council	England	district
Nuneaton and Bedworth Borough Council	England	district
Rugby Borough Council	England	district
Stratford-on-Avon District Council	England	district
Warwick District Council	England	district
Adur District Council	England	district
Arun District Council	England	district
Chichester District Council	England	district
Crawley Borough Council	England	district
Horsham District Council	England	district
Mid Sussex District Council	England	district
Worthing Borough Council	England	district
Bromsgrove District Council	England	district
Malvern Hills District Council	England	district
Redditch Borough Council	England	district
Worcester City Council	England	district
Wychavon District Council	England	district
Wyre Forest District Council	England	district
Blaenau Gwent County Borough Council	Wales	welsh
Bridgend County Borough Council	Wales	welsh
Caerphilly County Borough Council	Wales	welsh
Cardiff Council	Wales	welsh	City of Cardiff Council|Cyngor Caerdydd
Carmarthenshire County Council	Wales	welsh	Cyngor Sir Gâr
Ceredigion County Council	Wales	welsh
Conwy County Borough Council	Wales	welsh
Denbighshire County Council	Wales	welsh
Flintshire County Council	Wales	welsh
Gwynedd Council	Wales	welsh	Cyngor Gwynedd
Isle of Anglesey County Council	Wales	welsh	Anglesey|Ynys Môn|Cyngor Sir Ynys Môn
Merthyr Tydfil County Borough Council	Wales	welsh
Monmouthshire County Council	Wales	welsh
Neath Port Talbot Council	Wales	welsh	Neath Port Talbot County Borough Council
Newport City Council	Wales	welsh
Pembrokeshire County Council	Wales	welsh
Powys County Council	Wales	welsh
Rhondda Cynon Taf County Borough Council	Wales	welsh	RCT|Rhondda Cynon Taff
Swansea Council	Wales	welsh	City and County of Swansea
Torfaen County Borough Council	Wales	welsh
Vale of Glamorgan Council	Wales	welsh
Wrexham County Borough Council	Wales	welsh
Aberdeen City Council	Scotland	scottish
Aberdeenshire Council	Scotland	scottish
Angus Council	Scotland	scottish
Argyll and Bute Council	Scotland	scottish
City of Edinburgh Council	Scotland	scottish	Edinburgh
Clackmannanshire Council	Scotland	scottish
Comhairle nan Eilean Siar	Scotland	scottish	Western Isles|Na h-Eileanan Siar|Western Isles Council
Dumfries and Galloway Council	Scotland	scottish
Dundee City Council	Scotland	scottish
East Ayrshire Council	Scotland	scottish
East Dunbartonshire Council	Scotland	scottish
East Lothian Council	Scotland	scottish
East Renfrewshire Council	Scotland	scottish
Falkirk Council	Scotland	scottish
Fife Council	Scotland	scottish
Glasgow City Council	Scotland	scottish
The Highland Council	Scotland	scottish	Highland Council
Inverclyde Council	Scotland	scottish
Midlothian Council	Scotland	scottish
Moray Council	Scotland	scottish
North Ayrshire Council	Scotland	scottish
North Lanarkshire Council	Scotland	scottish
Orkney Islands Council	Scotland	scottish	Orkney
Perth and Kinross Council	Scotland	scottish
Renfrewshire Council	Scotland	scottish
Scottish Borders Council	Scotland	scottish
Shetland Islands Council	Scotland	scottish	Shetland
South Ayrshire Council	Scotland	scottish
South Lanarkshire Council	Scotland	scottish
Stirling Council	Scotland	scottish
West Dunbartonshire Council	Scotland	scottish
West Lothian Council	Scotland	scottish
Antrim and Newtownabbey Borough Council	Northern Ireland	ni
Ards and North Down Borough Council	Northern Ireland	ni
Armagh City, Banbridge and Craigavon Borough Council	Northern Ireland	ni	ABC Council
Belfast City Council	Northern Ireland	ni
Causeway Coast and Glens Borough Council	Northern Ireland	ni
Derry City and Strabane District Council	Northern Ireland	ni	Derry and Strabane
Fermanagh and Omagh District Council	Northern Ireland	ni
Lisburn and Castlereagh City Council	Northern Ireland	ni
Mid and East Antrim Borough Council	Northern Ireland	ni
Mid Ulster District Council	Northern Ireland	ni
Newry, Mourne and Down District Council	Northern Ireland	ni
"""

# Capitalised words that open a sentence or a phrase, not a council's name ("According to
# Kestrel Bay Council…").
LEADING_WORDS = """
a about according after all also an and any approved as ask at back before both but by call compare
contact copyright dear did do does during each email every find for from has have home how if in is
issued it its join like made menu more my of on only our over please prepared produced published
read say says see show since so source tell than thank thanks that the their then there these this
those through to today tomorrow under updated visit was we welcome were what when where which while
who why will with within yesterday you your
"""

# Words that make "… Council" something other than a local authority ("Children in Care
# Council", "Youth Council", "Standing Advisory Council"), or that are a role in front of the
# name ("Lead Member of …"), or a file-name word ("draft").
NOT_PLACE_WORDS = """
advisory anonymous arts board borough british cabinet care chair chairman chief child children
citizens city cllr committee community copy councillor councillors county department deputy director
district draft economic education employee employees english enterprise european example executive
faith families family final forum full funding general grants group health housing interfaith irish
joint lead leader learning local london mayor medical member members metropolitan national nursing
officer officers panel parish partnership people planning portfolio privy pupil regional research
residents role royal safeguarding sample school schools scottish sector security sentencing service
services skills social sports staff standing student students team tenants test town trust unnamed
voluntary welsh work young youth
"""
